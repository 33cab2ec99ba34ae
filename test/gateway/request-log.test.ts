import { Writable } from 'node:stream';
import pino from 'pino';
import { createApiKey } from '../../src/gateway/auth/api-keys';
import { createTestContext, type TestContext } from '../support/test-context';
import { startGateway } from '../support/gateway-harness';

describe('request logs', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(() => ctx.close());

  it('carry a request id (echoed in x-request-id) and never an API key', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(...chunk.toString().split('\n').filter(Boolean));
        done();
      },
    });
    const logger = pino({ level: 'debug' }, sink);
    const key = (await createApiKey(ctx.db.pool, 'admin')).key;
    const h = await startGateway(ctx, { logger });
    try {
      const res = await fetch(`${h.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, 'x-request-id': 'req-abc-1' },
        body: JSON.stringify({ query: 'mutation { invalidateCache { removedKeys } }' }),
      });
      expect(res.headers.get('x-request-id')).toBe('req-abc-1');
      expect(await res.json()).toEqual({ data: { invalidateCache: { removedKeys: 0 } } });
      const generated = await fetch(`${h.url}/health`);
      expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      await h.gql('{ product(id: "nope") { id } }', {}, 'rk_' + 'y'.repeat(30));
      // A cacheable read twice: executed, then answered from the response cache; both name their operation.
      for (const id of ['req-pop-1', 'req-pop-2']) {
        await fetch(`${h.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, 'x-request-id': id },
          body: JSON.stringify({ query: '{ popularItems(limit: 2) { source } }' }),
        });
      }
    } finally {
      await h.close();
    }
    const all = lines.join('\n');
    expect(all).not.toContain(key);
    expect(all).not.toContain('y'.repeat(30));
    const requestLines = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'request');
    expect(requestLines.find((l) => l.requestId === 'req-abc-1')).toMatchObject({
      method: 'POST',
      path: '/graphql',
      status: 200,
      operation: 'mutation:invalidateCache',
    });
    expect(requestLines.find((l) => l.requestId === 'req-pop-1')).toMatchObject({
      status: 200,
      operation: 'query:popularItems',
    });
    expect(requestLines.find((l) => l.requestId === 'req-pop-2')).toMatchObject({
      status: 200,
      operation: 'query:popularItems',
    });
    expect(h.gateway.services.responseCache.stats.hits).toBe(1);
    expect(lines.some((l) => l.includes('"hot cache invalidated"') && l.includes('req-abc-1'))).toBe(true);
  });
});
