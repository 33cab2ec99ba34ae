// The response-cache lane in front of Express: what it answers itself, and that everything it does
// not answer reaches Express and Apollo unchanged.
import { request } from 'node:http';
import { createApiKey } from '../../src/gateway/auth/api-keys';
import { LIMITS } from '../../src/gateway/input-limits';
import { createTestContext, type TestContext } from '../support/test-context';
import { startGateway, type Harness } from '../support/gateway-harness';
import { seedServing } from '../support/serving-fixtures';

const QUERY =
  'query($userId: ID!) { recommendations(userId: $userId, limit: 3) { items { product { id } rank } recommendationId generatedAt } }';

interface Answer {
  status: number;
  headers: Headers;
  json: {
    data?: {
      recommendations?: {
        items: { product: { id: string }; rank: number }[];
        recommendationId: string;
        generatedAt: string;
      };
    };
    errors?: { message: string; extensions?: { code?: string } }[];
  };
}

describe('response-cache lane', () => {
  let ctx: TestContext;
  let h: Harness;

  beforeAll(async () => {
    ctx = await createTestContext({ READ_AUTH: 'key' });
    await seedServing(ctx.db);
    h = await startGateway(ctx);
  });
  afterAll(async () => {
    await h.close();
    await ctx.close();
  });

  const post = async (body: string, headers: Record<string, string> = {}): Promise<Answer> => {
    const res = await fetch(`${h.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
    return { status: res.status, headers: res.headers, json: (await res.json()) as Answer['json'] };
  };
  const stats = () => ({ ...h.gateway.services.responseCache.stats });

  it('answers a repeated read itself: same list, fresh stamps, request id echoed, timed in /metrics', async () => {
    const { key } = await createApiKey(ctx.db.pool, 'read');
    const auth = { authorization: `Bearer ${key}` };
    const body = JSON.stringify({ query: QUERY, variables: { userId: 'c1' } });
    const first = await post(body, auth);
    expect(first.status).toBe(200);
    const before = stats();
    const second = await post(body, { ...auth, 'x-request-id': 'lane-req-1' });
    expect(stats().hits).toBe(before.hits + 1);
    expect(second.status).toBe(200);
    expect(second.headers.get('content-type')).toBe('application/json; charset=utf-8');
    // Each copy is stamped for one response: no HTTP cache may keep either.
    expect(first.headers.get('cache-control')).toBe('no-store');
    expect(second.headers.get('cache-control')).toBe('no-store');
    expect(second.headers.get('x-request-id')).toBe('lane-req-1');
    const [a, b] = [first.json.data!.recommendations!, second.json.data!.recommendations!];
    expect(b.items).toEqual(a.items);
    expect(b.items.map((i) => i.product.id)).toEqual(['p1', 'p2', 'p3']);
    expect(b.recommendationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(b.recommendationId).not.toBe(a.recommendationId);
    expect(Date.parse(b.generatedAt)).toBeGreaterThanOrEqual(Date.parse(a.generatedAt));
    const metrics = await h.get('/metrics');
    expect(metrics.text).toMatch(
      /recs_graphql_request_duration_seconds_count\{operation="query:recommendations",path="response-cache"\} [1-9]/,
    );
  });

  it('never answers a caller it has not seen authorised: the cached answer needs a known read key', async () => {
    const body = JSON.stringify({ query: QUERY, variables: { userId: 'c1' } });
    const before = stats();
    const anonymous = await post(body);
    expect(anonymous.json.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const unknown = await post(body, { authorization: `Bearer rk_${'z'.repeat(40)}` });
    expect(unknown.json.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(stats().hits).toBe(before.hits);
  });

  it('answers a body that is not JSON with 400 BAD_USER_INPUT, as Express would', async () => {
    const res = await post('{"query": ');
    expect(res.status).toBe(400);
    expect(res.json.errors?.[0]).toEqual({
      message: 'request body is not valid JSON',
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });

  it('hands bodies it does not read to Express: big ones, other content types, GET', async () => {
    const { key } = await createApiKey(ctx.db.pool, 'read');
    const auth = { authorization: `Bearer ${key}` };
    // Bigger than the lane reads, within Express's limit: padded with whitespace, still one query.
    const big = JSON.stringify({ query: `${QUERY}${' '.repeat(20_000)}`, variables: { userId: 'c1' } });
    const answered = await post(big, auth);
    expect(answered.json.data?.recommendations?.items.map((i) => i.product.id)).toEqual(['p1', 'p2', 'p3']);
    const tooBig = await post(JSON.stringify({ query: ' '.repeat(LIMITS.maxBodyBytes) }), auth);
    expect(tooBig.status).toBe(413);
    expect(tooBig.json.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const text = await fetch(`${h.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', ...auth },
      body: 'hello',
    });
    expect(text.status).toBeGreaterThanOrEqual(400);
    const get = await fetch(`${h.url}/graphql?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { ...auth, 'apollo-require-preflight': '1' },
    });
    expect(await get.json()).toEqual({ data: { __typename: 'Query' } });
  });

  it('survives a client that sends half a body and goes away', async () => {
    await new Promise<void>((resolve) => {
      const req = request(`${h.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': '500' },
      });
      req.on('error', () => {
        resolve();
      });
      req.write('{"query": "{ __typ');
      setTimeout(() => {
        req.destroy();
        resolve();
      }, 50);
    });
    const health = await h.get('/health');
    expect(health.status).toBe(200);
  });
});
