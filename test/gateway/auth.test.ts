import { createApiKey, hashKey, listApiKeys, revokeApiKey } from '../../src/gateway/auth/api-keys';
import { authorize } from '../../src/gateway/auth/authenticator';
import { createTestContext, type TestContext } from '../support/test-context';
import { startGateway, type Harness } from '../support/gateway-harness';
import { seedServing } from '../support/serving-fixtures';

const READ = `{ popularItems(limit: 1) { source } }`;
const ADMIN = `{ apiKeys { id } }`;
const INGEST = `mutation { recordEvents(events: [{ userId: "c1", productId: "p1", eventType: "view" }]) { accepted } }`;

describe('API keys and roles', () => {
  let ctx: TestContext;
  let open: Harness;
  let keyed: Harness;
  const keys: Record<string, string> = {};

  beforeAll(async () => {
    ctx = await createTestContext();
    await seedServing(ctx.db);
    for (const role of ['read', 'ingest', 'admin'] as const)
      keys[role] = (await createApiKey(ctx.db.pool, role, `${role} test`)).key;
    open = await startGateway(ctx);
    keyed = await startGateway(ctx, {
      config: { ...ctx.config, api: { ...ctx.config.api, readAuth: 'key' } },
      authCacheMs: 0,
    });
  });
  afterAll(async () => {
    await open.close();
    await keyed.close();
    await ctx.close();
  });

  describe('api-keys', () => {
    it('stores only the sha256 hash and a short prefix', async () => {
      const { key, info } = await createApiKey(ctx.db.pool, 'read');
      const { rows } = await ctx.db.pool.query<{ keyHash: string; prefix: string }>(
        'SELECT key_hash AS "keyHash", prefix FROM api_keys WHERE id = $1',
        [info.id],
      );
      const row = rows[0]!;
      expect(row.keyHash).toBe(hashKey(key));
      expect(row.keyHash).not.toContain(key);
      expect(key.startsWith(row.prefix)).toBe(true);
      expect(row.prefix.length).toBeLessThan(key.length / 2);
      const listed = await listApiKeys(ctx.db.pool);
      expect(JSON.stringify(listed)).not.toContain(key);
    });

    it('revokes by id or prefix, and says when nothing matches', async () => {
      const a = await createApiKey(ctx.db.pool, 'read');
      const b = await createApiKey(ctx.db.pool, 'read');
      expect((await revokeApiKey(ctx.db.pool, String(a.info.id))).revokedAt).not.toBeNull();
      expect((await revokeApiKey(ctx.db.pool, b.info.prefix)).revokedAt).not.toBeNull();
      await expect(revokeApiKey(ctx.db.pool, 'rk_nothing')).rejects.toThrow('no API key');
    });
  });

  describe('authorize', () => {
    it('ranks admin over ingest over read', () => {
      expect(authorize({ kind: 'key', role: 'admin', keyId: 1 }, 'ingest', 'key')).toBe('ok');
      expect(authorize({ kind: 'key', role: 'ingest', keyId: 1 }, 'admin', 'open')).toBe('FORBIDDEN');
      expect(authorize({ kind: 'anonymous' }, 'read', 'open')).toBe('ok');
      expect(authorize({ kind: 'anonymous' }, 'read', 'key')).toBe('UNAUTHENTICATED');
      expect(authorize({ kind: 'unchecked', reason: 'db down' }, 'read', 'open')).toBe('ok');
      expect(authorize({ kind: 'unchecked', reason: 'db down' }, 'admin', 'open')).toBe('UNAUTHENTICATED');
    });
  });

  describe('gateway (READ_AUTH=open)', () => {
    it('serves reads without a key', async () => {
      expect((await open.gql(READ)).body.errors).toBeUndefined();
    });

    it('refuses admin queries and mutations without a key (UNAUTHENTICATED, 401)', async () => {
      for (const q of [ADMIN, INGEST, `mutation { invalidateCache { removedKeys } }`]) {
        const r = await open.gql(q);
        expect(r.body.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
      }
    });

    it('refuses a read key on admin and ingest operations (FORBIDDEN)', async () => {
      expect((await open.gql(ADMIN, {}, keys.read)).body.errors![0]!.extensions!.code).toBe('FORBIDDEN');
      expect((await open.gql(INGEST, {}, keys.read)).body.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    });

    it('lets ingest record events but not administer', async () => {
      expect((await open.gql(INGEST, {}, keys.ingest)).body.errors).toBeUndefined();
      expect((await open.gql(ADMIN, {}, keys.ingest)).body.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    });

    it('lets admin do everything', async () => {
      for (const q of [READ, ADMIN, INGEST]) expect((await open.gql(q, {}, keys.admin)).body.errors).toBeUndefined();
    });

    it('accepts the key in x-api-key too', async () => {
      const res = await fetch(`${open.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': keys.admin! },
        body: JSON.stringify({ query: ADMIN }),
      });
      expect(((await res.json()) as { errors?: unknown }).errors).toBeUndefined();
    });

    it('rejects unknown and malformed keys even on open reads', async () => {
      const unknown = await open.gql(READ, {}, 'rk_' + 'x'.repeat(32));
      expect(unknown.body.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
      expect(unknown.body.errors![0]!.message).toContain('unknown API key');
      const malformed = await open.gql(READ, {}, 'hello');
      expect(malformed.body.errors![0]!.message).toContain('malformed');
    });
  });

  describe('gateway (READ_AUTH=key)', () => {
    it('needs a key for reads', async () => {
      const r = await keyed.gql(READ);
      expect(r.status).toBe(401);
      expect(r.body.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
      expect((await keyed.gql(READ, {}, keys.read)).body.errors).toBeUndefined();
    });

    it('never serves a cached response to a caller without a key', async () => {
      expect((await keyed.gql(READ, {}, keys.read)).body.errors).toBeUndefined();
      expect((await keyed.gql(READ)).body.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
    });

    it('stops accepting a key once it is revoked', async () => {
      const { key, info } = await createApiKey(ctx.db.pool, 'read');
      expect((await keyed.gql(READ, {}, key)).body.errors).toBeUndefined();
      await revokeApiKey(ctx.db.pool, String(info.id));
      const r = await keyed.gql(READ, {}, key);
      expect(r.body.errors![0]!.message).toContain('revoked');
    });
  });

  describe('queue dashboard', () => {
    it('needs an admin key', async () => {
      expect((await open.get('/admin/queues')).status).toBe(401);
      expect((await open.get('/admin/queues', keys.read)).status).toBe(403);
      const ok = await open.get('/admin/queues', keys.admin);
      expect(ok.status).toBe(200);
      expect(ok.text).toContain('<html');
      const api = await open.get('/admin/queues/api/queues', keys.admin);
      expect(api.status).toBe(200);
      expect(api.text).toContain('events-forward');
    });
  });
});
