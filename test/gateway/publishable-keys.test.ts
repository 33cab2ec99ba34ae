import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createApiKey, InvalidApiKeyRequestError } from '../../src/gateway/auth/api-keys';
import { FixedWindowLimiter } from '../../src/gateway/auth/request-limiter';
import { createTestContext, type TestContext } from '../support/test-context';
import { startGateway, type Harness } from '../support/gateway-harness';
import { seedServing } from '../support/serving-fixtures';
import { waitFor } from '../support/wait-for';

const SHOP = 'https://shop.example.com';
const CONFIGURED = 'https://admin.example.com';
const EVIL = 'https://evil.example.net';

/** The widget page's own GraphQL documents (docs/widget/similar-items.html). */
function widgetDocuments(): { SIMILAR: string; RECORD_VIEW: string } {
  const html = readFileSync(path.join(__dirname, '../../docs/widget/similar-items.html'), 'utf8');
  const grab = (name: string) => {
    const m = new RegExp(`const ${name} = \`([^\`]+)\``).exec(html);
    if (!m?.[1]) throw new Error(`the widget page has no ${name} document`);
    return m[1];
  };
  return { SIMILAR: grab('SIMILAR'), RECORD_VIEW: grab('RECORD_VIEW') };
}

interface Answer {
  status: number;
  headers: Headers;
  body: {
    data?: Record<string, unknown> | null;
    errors?: { message: string; extensions?: { code?: string } }[];
  } & Record<string, unknown>;
}

describe('CORS, publishable keys and the example widget', () => {
  let ctx: TestContext;
  let h: Harness;
  let limited: Harness;
  let pk: string;
  let readKey: string;

  beforeAll(async () => {
    ctx = await createTestContext({ CORS_ORIGINS: CONFIGURED });
    await seedServing(ctx.db);
    pk = (await createApiKey(ctx.db.pool, 'publishable', 'widget', [SHOP])).key;
    readKey = (await createApiKey(ctx.db.pool, 'read')).key;
    h = await startGateway(ctx, { corsRefreshMs: 100 });
    limited = await startGateway(ctx, { publishableLimiter: new FixedWindowLimiter(3, 3_600_000) });
  });
  afterAll(async () => {
    await h.close();
    await limited.close();
    await ctx.close();
  });

  const post = async (
    base: string,
    query: string,
    variables: Record<string, unknown>,
    headers: Record<string, string>,
  ): Promise<Answer> => {
    const res = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query, variables }),
    });
    return { status: res.status, headers: res.headers, body: (await res.json()) as Answer['body'] };
  };
  const preflight = (origin: string) =>
    fetch(`${h.url}/graphql`, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,authorization',
      },
    });

  describe('CORS', () => {
    it('lets configured origins and publishable keys’ origins in, preflights included', async () => {
      for (const origin of [SHOP, CONFIGURED]) {
        const res = await preflight(origin);
        expect(res.status).toBe(204);
        expect(res.headers.get('access-control-allow-origin')).toBe(origin);
        expect(res.headers.get('access-control-allow-headers')).toContain('authorization');
        expect(res.headers.get('access-control-allow-methods')).toContain('POST');
      }
    });

    it('gives other origins no CORS headers (the browser then hides the answer)', async () => {
      const res = await preflight(EVIL);
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
      const read = await post(h.url, '{ popularItems(limit: 1) { source } }', {}, { origin: EVIL });
      expect(read.headers.get('access-control-allow-origin')).toBeNull();
    });

    it("allows a new publishable key's origin within a refresh", async () => {
      const origin = 'https://second-shop.example.org';
      expect((await preflight(origin)).headers.get('access-control-allow-origin')).toBeNull();
      await createApiKey(ctx.db.pool, 'publishable', 'second shop', [origin]);
      await waitFor('the new origin to be allowed', async () =>
        (await preflight(origin)).headers.get('access-control-allow-origin') === origin ? true : null,
      );
    });
  });

  describe('publishable keys', () => {
    // A getter: pk is made in beforeAll, after this describe body has run.
    const shop = () => ({ origin: SHOP, authorization: `Bearer ${pk}` });

    it('run the widget page: similar items, then a view event stored once', async () => {
      const { SIMILAR, RECORD_VIEW } = widgetDocuments();
      const similar = await post(h.url, SIMILAR, { productId: 'p1', limit: 3 }, shop());
      expect(similar.status).toBe(200);
      expect(similar.headers.get('access-control-allow-origin')).toBe(SHOP);
      expect(similar.body.errors).toBeUndefined();
      const list = similar.body.data!.similarItems as {
        recommendationId: string;
        items: { product: { id: string } }[];
      };
      expect(list.items.map((i) => i.product.id)).toEqual(['p4', 'p7', 'p10']);
      const view = { userId: 'c2', productId: 'p1', eventType: 'view', recommendationId: list.recommendationId };
      const recorded = await post(h.url, RECORD_VIEW, { events: [view] }, shop());
      expect(recorded.body.data!.recordEvents).toEqual({ accepted: 1, duplicates: 0, userErrors: [] });
      const { rows } = await ctx.db.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM events WHERE user_id = 'c2' AND recommendation_id = $1`,
        [list.recommendationId],
      );
      expect(rows[0]!.n).toBe(1);
    });

    it('may not administer (FORBIDDEN)', async () => {
      const r = await post(h.url, '{ systemStatus { engine } }', {}, shop());
      expect(r.body.errors![0]!.extensions!.code).toBe('FORBIDDEN');
      const m = await post(h.url, 'mutation { invalidateCache { removedKeys } }', {}, shop());
      expect(m.body.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    });

    it('count only from their allowed origins (UNAUTHENTICATED from another origin or none)', async () => {
      const others: Record<string, string>[] = [
        { origin: EVIL, authorization: `Bearer ${pk}` },
        { authorization: `Bearer ${pk}` },
      ];
      for (const headers of others) {
        const r = await post(h.url, '{ popularItems(limit: 1) { source } }', {}, headers);
        expect(r.status).toBe(401);
        expect(r.body.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
        expect(r.body.errors![0]!.message).toMatch(/publishable key/);
      }
      const rest = await fetch(`${h.url}/api/v1/personalize/similar-items/p1?limit=1`, {
        headers: { origin: EVIL, authorization: `Bearer ${pk}` },
      });
      expect(rest.status).toBe(401);
      const restOk = await fetch(`${h.url}/api/v1/personalize/similar-items/p1?limit=1`, { headers: shop() });
      expect(restOk.status).toBe(200);
      expect(restOk.headers.get('access-control-allow-origin')).toBe(SHOP);
    });

    it('are rate-limited per client IP: 429 with Retry-After and RATE_LIMITED; other keys are not', async () => {
      const q = '{ popularItems(limit: 1) { source } }';
      for (let i = 0; i < 3; i++) expect((await post(limited.url, q, {}, shop())).status).toBe(200);
      const refused = await post(limited.url, q, {}, shop());
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(refused.body.errors![0]!.extensions!.code).toBe('RATE_LIMITED');
      const rest = await fetch(`${limited.url}/api/v1/personalize/similar-items/p1`, { headers: shop() });
      expect(rest.status).toBe(429);
      expect(((await rest.json()) as { error: string }).error).toBe('RATE_LIMITED');
      // A secret key from the same address is not a publishable key's traffic.
      expect((await post(limited.url, q, {}, { authorization: `Bearer ${readKey}` })).status).toBe(200);
    });

    it('are created only with valid origins, and only publishable keys take origins', async () => {
      await expect(createApiKey(ctx.db.pool, 'publishable', 'none')).rejects.toBeInstanceOf(InvalidApiKeyRequestError);
      await expect(createApiKey(ctx.db.pool, 'publishable', 'bad', ['shop.example.com/path'])).rejects.toThrow(
        /not an origin/,
      );
      await expect(createApiKey(ctx.db.pool, 'read', 'bound', [SHOP])).rejects.toThrow(/only publishable/);
      const made = await createApiKey(ctx.db.pool, 'publishable', 'ok', [SHOP, SHOP]);
      expect(made.key).toMatch(/^pk_/);
      expect(made.info.allowedOrigins).toEqual([SHOP]);
    });
  });
});

describe('FixedWindowLimiter', () => {
  it('allows the budget per window and key, then says how long to wait', () => {
    let now = 1_000_000;
    const limiter = new FixedWindowLimiter(2, 60_000, () => now);
    expect(limiter.take('a')).toEqual({ ok: true });
    expect(limiter.take('a')).toEqual({ ok: true });
    expect(limiter.take('b')).toEqual({ ok: true });
    expect(limiter.take('a')).toEqual({ ok: false, retryAfterSeconds: 60 });
    now += 45_000;
    expect(limiter.take('a')).toEqual({ ok: false, retryAfterSeconds: 15 });
    now += 15_000;
    expect(limiter.take('a')).toEqual({ ok: true });
  });
});
