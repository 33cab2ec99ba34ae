import { createApiKey, revokeApiKey } from '../../src/gateway/auth/api-keys';
import { createTestContext, type TestContext } from '../support/test-context';
import { startGateway, type Harness } from '../support/gateway-harness';
import { seedServing } from '../support/serving-fixtures';

const STATUS = `{ systemStatus { engine batchVersion } }`;
const CREATE_KEY = `mutation { createApiKey(input: { role: "read" }) { secret userErrors { code } } }`;

interface Signed {
  cookie: string;
  csrf: string;
  setCookie: string;
  role: string;
}

describe('dashboard sessions (/auth/session)', () => {
  let ctx: TestContext;
  let gw: Harness;
  const keys: Record<string, string> = {};
  const keyIds: Record<string, number> = {};

  beforeAll(async () => {
    ctx = await createTestContext();
    await seedServing(ctx.db);
    for (const role of ['read', 'ingest', 'admin'] as const) {
      const made = await createApiKey(ctx.db.pool, role, `${role} test`);
      keys[role] = made.key;
      keyIds[role] = made.info.id;
    }
    gw = await startGateway(ctx, { authCacheMs: 0 });
  });
  afterAll(async () => {
    await gw.close();
    await ctx.close();
  });

  const signIn = async (key: string, headers: Record<string, string> = {}) =>
    fetch(`${gw.url}/auth/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ key }),
    });

  async function session(key: string): Promise<Signed> {
    const res = await signIn(key);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { csrfToken: string; role: string };
    const setCookie = res.headers.get('set-cookie')!;
    return { cookie: setCookie.split(';')[0]!, csrf: body.csrfToken, setCookie, role: body.role };
  }

  const gql = async (
    s: Pick<Signed, 'cookie'> & { csrf?: string },
    query: string,
    extra: Record<string, string> = {},
  ) => {
    const res = await fetch(`${gw.url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        cookie: s.cookie,
        ...(s.csrf ? { 'x-csrf-token': s.csrf } : {}),
        ...extra,
      },
      body: JSON.stringify({ query }),
    });
    return (await res.json()) as {
      data?: Record<string, unknown> | null;
      errors?: { message: string; extensions: { code: string } }[];
    };
  };

  it('exchanges an admin key for an HttpOnly SameSite=Strict cookie with an expiry, without the key in it', async () => {
    const s = await session(keys.admin!);
    expect(s.role).toBe('admin');
    expect(s.setCookie).toMatch(/^recs_session=[A-Za-z0-9_-]{40,}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+$/);
    const maxAge = Number(/Max-Age=(\d+)/.exec(s.setCookie)![1]);
    expect(maxAge).toBeGreaterThan(11 * 3600);
    expect(maxAge).toBeLessThanOrEqual(12 * 3600);
    expect(s.setCookie).not.toContain(keys.admin!);
    expect(s.setCookie).not.toContain('Secure');
    const { rows } = await ctx.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM dashboard_sessions');
    expect(rows[0]!.n).toBeGreaterThan(0);
  });

  it('marks the cookie Secure when the request came over HTTPS (x-forwarded-proto)', async () => {
    const res = await signIn(keys.admin!, { 'x-forwarded-proto': 'https' });
    expect(res.headers.get('set-cookie')).toMatch(/; Secure$/);
  });

  it('refuses bad, unknown and ingest keys, and bodies that are not JSON', async () => {
    expect((await signIn('rk_' + 'x'.repeat(30))).status).toBe(401);
    const ingest = await signIn(keys.ingest!);
    expect(ingest.status).toBe(403);
    expect(((await ingest.json()) as { message: string }).message).toContain('read or admin');
    const form = await fetch(`${gw.url}/auth/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `key=${keys.admin!}`,
    });
    expect(form.status).toBe(400);
    expect(form.headers.get('set-cookie')).toBeNull();
  });

  it('tells the page who it is (GET) and lets an admin session act through GraphQL with its CSRF token', async () => {
    const s = await session(keys.admin!);
    const me = await fetch(`${gw.url}/auth/session`, { headers: { cookie: s.cookie } });
    expect(await me.json()).toMatchObject({ role: 'admin', csrfToken: s.csrf });
    expect((await gql(s, STATUS)).errors).toBeUndefined();
    const made = await gql(s, CREATE_KEY);
    expect(made.errors).toBeUndefined();
    expect(made.data).toMatchObject({ createApiKey: { userErrors: [] } });
  });

  it('ignores the cookie without the CSRF header (another page of the origin), and refuses a wrong token', async () => {
    const s = await session(keys.admin!);
    const bare = await gql({ cookie: s.cookie }, STATUS);
    expect(bare.errors![0]!.extensions.code).toBe('UNAUTHENTICATED');
    const wrong = await gql({ cookie: s.cookie, csrf: 'x'.repeat(32) }, CREATE_KEY);
    expect(wrong.errors![0]!.extensions.code).toBe('UNAUTHENTICATED');
    expect(wrong.errors![0]!.message).toContain('CSRF');
    expect(await gql({ cookie: s.cookie }, `{ popularItems(limit: 1) { source } }`)).toMatchObject({
      data: { popularItems: { source: 'POPULAR' } },
    });
  });

  it('lets a read session see but not act', async () => {
    const s = await session(keys.read!);
    expect((await gql(s, STATUS)).errors).toBeUndefined();
    expect((await gql(s, CREATE_KEY)).errors![0]!.extensions.code).toBe('FORBIDDEN');
  });

  it('signs out: the cookie is cleared and the session no longer works', async () => {
    const s = await session(keys.admin!);
    const noToken = await fetch(`${gw.url}/auth/session`, { method: 'DELETE', headers: { cookie: s.cookie } });
    expect(noToken.status).toBe(403);
    const out = await fetch(`${gw.url}/auth/session`, {
      method: 'DELETE',
      headers: { cookie: s.cookie, 'x-csrf-token': s.csrf },
    });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toContain('Max-Age=0');
    expect((await fetch(`${gw.url}/auth/session`, { headers: { cookie: s.cookie } })).status).toBe(401);
    const after = await gql(s, STATUS);
    expect(after.errors![0]!.message).toContain('signed out');
  });

  it('ends the sessions of a revoked key at once', async () => {
    const { key, info } = await createApiKey(ctx.db.pool, 'admin', 'to revoke');
    const s = await session(key);
    expect((await gql(s, STATUS)).errors).toBeUndefined();
    await revokeApiKey(ctx.db.pool, String(info.id));
    expect((await gql(s, STATUS)).errors![0]!.extensions.code).toBe('UNAUTHENTICATED');
  });

  it('expires: a session past its expiry is refused', async () => {
    const s = await session(keys.admin!);
    await ctx.db.pool.query(`UPDATE dashboard_sessions SET expires_at = now() - interval '1 second'`);
    expect((await gql(s, STATUS)).errors![0]!.message).toContain('expired');
  });

  it('opens bull-board with an admin session, not a read one, and refuses writes from another origin', async () => {
    const admin = await session(keys.admin!);
    const page = await fetch(`${gw.url}/admin/queues`, { headers: { cookie: admin.cookie } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<html');
    const read = await session(keys.read!);
    expect((await fetch(`${gw.url}/admin/queues`, { headers: { cookie: read.cookie } })).status).toBe(403);
    const host = new URL(gw.url).host;
    const forged = await fetch(`${gw.url}/admin/queues/api/queues/pause`, {
      method: 'PUT',
      headers: { cookie: admin.cookie, origin: 'http://evil.example', host },
    });
    expect(forged.status).toBe(401);
    const own = await fetch(`${gw.url}/admin/queues/api/queues`, {
      headers: { cookie: admin.cookie },
    });
    expect(own.status).toBe(200);
  });
});
