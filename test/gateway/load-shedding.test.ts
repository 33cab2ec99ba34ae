// Admission control (bench:abuse found requests queueing without bound under hostile traffic): a
// gateway executes at most ADMISSION_MAX_IN_FLIGHT API requests at once, anonymous ones at most
// ADMISSION_ANONYMOUS_IN_FLIGHT, and a request that finds no slot waits briefly in a bounded queue
// or is answered 503 OVERLOADED with Retry-After; a freed slot goes to a keyed request first; the
// ops routes are never shed. Requests are held in flight by sending their bodies in two parts, so
// nothing here depends on how fast the machine is.
import net from 'node:net';
import { createApiKey } from '../../src/gateway/auth/api-keys';
import { createTestContext, type TestContext } from '../support/test-context';
import { startGateway, type Harness } from '../support/gateway-harness';
import { seedServing } from '../support/serving-fixtures';
import { waitFor } from '../support/wait-for';

const QUERY = JSON.stringify({ query: `{ popularItems(limit: 1) { source } }` });

interface RawAnswer {
  status: number;
  headers: string;
  body: string;
}

/** A POST /graphql whose body is sent up to its last byte, so it is admitted and stays in flight. */
function hold(url: string, key?: string): { answer: Promise<RawAnswer>; finish: () => void } {
  const { hostname, port } = new URL(url);
  const socket = net.connect(Number(port), hostname);
  const head = [
    'POST /graphql HTTP/1.1',
    `host: ${hostname}:${port}`,
    'content-type: application/json',
    `content-length: ${Buffer.byteLength(QUERY)}`,
    'connection: close',
    ...(key ? [`authorization: Bearer ${key}`] : []),
  ].join('\r\n');
  socket.write(`${head}\r\n\r\n${QUERY.slice(0, -1)}`);
  const answer = new Promise<RawAnswer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('end', () => {
      const text = Buffer.concat(chunks).toString();
      const split = text.indexOf('\r\n\r\n');
      resolve({
        status: Number(/^HTTP\/1\.1 (\d+)/.exec(text)?.[1] ?? 0),
        headers: text.slice(0, split),
        body: text.slice(split + 4),
      });
    });
  });
  // Not socket.end(): Node's server drops a request whose client half-closes before the answer.
  return { answer, finish: () => socket.write(QUERY.slice(-1)) };
}

async function gauge(h: Harness, name: string, cls: string): Promise<number> {
  const text = (await h.get('/metrics')).text;
  return Number(new RegExp(`^${name}\\{class="${cls}"\\} (\\d+)`, 'm').exec(text)?.[1] ?? NaN);
}

const post = (h: Harness, key?: string) =>
  fetch(`${h.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: QUERY,
  });

describe('load shedding', () => {
  let ctx: TestContext;
  let key: string;

  beforeAll(async () => {
    ctx = await createTestContext({
      ADMISSION_MAX_IN_FLIGHT: '2',
      ADMISSION_PUBLISHABLE_IN_FLIGHT: '1',
      ADMISSION_ANONYMOUS_IN_FLIGHT: '1',
      ADMISSION_QUEUE_LENGTH: '1',
      ADMISSION_QUEUE_WAIT_MS: '60000',
      ADMISSION_ANONYMOUS_QUEUE_WAIT_MS: '60000',
    });
    await seedServing(ctx.db);
    key = (await createApiKey(ctx.db.pool, 'read', 'storefront')).key;
  });
  afterAll(async () => {
    await ctx.close();
  });

  describe('anonymous requests beyond their share', () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startGateway(ctx);
    });
    afterAll(async () => {
      await h.close();
    });

    it('are answered 503 OVERLOADED with Retry-After once the queue is full; keyed requests and the ops routes go on', async () => {
      const first = hold(h.url);
      await waitFor(
        'the first anonymous request in flight',
        async () => (await gauge(h, 'recs_admission_in_flight', 'anonymous')) === 1,
      );
      const second = hold(h.url);
      await waitFor('the second one waiting', async () => (await gauge(h, 'recs_admission_queued', 'anonymous')) === 1);

      const shed = await post(h);
      expect(shed.status).toBe(503);
      expect(shed.headers.get('retry-after')).toBe('1');
      const body = (await shed.json()) as { errors: { extensions: { code: string; retryAfterSeconds: number } }[] };
      expect(body.errors[0]?.extensions).toEqual({ code: 'OVERLOADED', retryAfterSeconds: 1 });
      const rest = await fetch(`${h.url}/api/v1/personalize/recommendations/c1`);
      expect(rest.status).toBe(503);
      expect(((await rest.json()) as { error: string }).error).toBe('OVERLOADED');

      // A keyed request has the other slot; the ops routes are never counted.
      expect((await post(h, key)).status).toBe(200);
      for (const path of ['/health', '/ready', '/metrics']) expect((await h.get(path)).status).toBe(200);
      expect((await h.get('/metrics')).text).toMatch(
        /recs_shed_requests_total\{class="anonymous",reason="queue-full"\} 2/,
      );

      // The held requests are answered in turn: the second was waiting, not refused.
      first.finish();
      expect((await first.answer).status).toBe(200);
      await waitFor(
        'the second one admitted',
        async () => (await gauge(h, 'recs_admission_queued', 'anonymous')) === 0,
      );
      second.finish();
      expect((await second.answer).status).toBe(200);
    });

    it('gives a freed slot to a waiting keyed request before an anonymous one that waited longer', async () => {
      const anonymous = hold(h.url);
      await waitFor(
        'an anonymous request in flight',
        async () => (await gauge(h, 'recs_admission_in_flight', 'anonymous')) === 1,
      );
      const keyed = hold(h.url, key);
      await waitFor('a keyed request in flight', async () => (await gauge(h, 'recs_admission_in_flight', 'key')) === 1);
      // Every slot is taken: both wait, the anonymous one first.
      const anonymousWaiting = hold(h.url);
      await waitFor(
        'the anonymous one waiting',
        async () => (await gauge(h, 'recs_admission_queued', 'anonymous')) === 1,
      );
      const keyedWaiting = hold(h.url, key);
      await waitFor('the keyed one waiting', async () => (await gauge(h, 'recs_admission_queued', 'key')) === 1);

      anonymous.finish();
      expect((await anonymous.answer).status).toBe(200);
      await waitFor('the keyed one admitted', async () => (await gauge(h, 'recs_admission_queued', 'key')) === 0);
      expect(await gauge(h, 'recs_admission_queued', 'anonymous')).toBe(1);
      keyedWaiting.finish();
      expect((await keyedWaiting.answer).status).toBe(200);

      keyed.finish();
      expect((await keyed.answer).status).toBe(200);
      await waitFor(
        'the anonymous one admitted',
        async () => (await gauge(h, 'recs_admission_queued', 'anonymous')) === 0,
      );
      anonymousWaiting.finish();
      expect((await anonymousWaiting.answer).status).toBe(200);
    });
  });

  describe('a request that waits past its class deadline', () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startGateway(ctx, {
        config: {
          ...ctx.config,
          admission: { ...ctx.config.admission, maxWaitMs: { ...ctx.config.admission.maxWaitMs, anonymous: 50 } },
        },
      });
    });
    afterAll(async () => {
      await h.close();
    });

    it('is shed with the reason wait-expired', async () => {
      const first = hold(h.url);
      await waitFor(
        'an anonymous request in flight',
        async () => (await gauge(h, 'recs_admission_in_flight', 'anonymous')) === 1,
      );
      const late = await post(h);
      expect(late.status).toBe(503);
      expect((await h.get('/metrics')).text).toMatch(
        /recs_shed_requests_total\{class="anonymous",reason="wait-expired"\} 1/,
      );
      first.finish();
      expect((await first.answer).status).toBe(200);
    });
  });
});
