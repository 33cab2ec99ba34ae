// The runProgress subscription over graphql-ws, against a real gateway, with the run executed by a
// separate worker process: every state change reaches the socket through PostgreSQL's NOTIFY.
// Also who may open a socket (API key in connectionParams, or the session cookie from the
// gateway's own Origin with its CSRF token), that only subscriptions are served on it, and that
// the gateway's shutdown closes open sockets.
import type { FormattedExecutionResult } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { createApiKey } from '../../src/gateway/auth/api-keys';
import { startChildWorker, waitForWorkerReady, type ChildWorker } from '../support/child-worker';
import { startGateway, type Harness } from '../support/gateway-harness';
import { seedSyntheticStore } from '../support/seed-store';
import { createTestContext, type TestContext } from '../support/test-context';
import { waitFor } from '../support/wait-for';

const PROGRESS = `subscription($id: ID!) { runProgress(id: $id) { id status stages { name status } } }`;

interface Progress {
  runProgress: { id: string; status: string; stages: { name: string; status: string }[] } | null;
}

/** A WebSocket class that sends the given upgrade headers (a browser sends Origin and the cookie). */
function withHeaders(headers: Record<string, string>): typeof WebSocket {
  return class extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { headers });
    }
  } as typeof WebSocket;
}

describe('runProgress over graphql-ws', () => {
  let ctx: TestContext;
  let gw: Harness;
  let worker: ChildWorker;
  let wsUrl: string;
  let closed = false;
  const keys: Record<'read' | 'admin', string> = { read: '', admin: '' };
  const clients: Client[] = [];

  beforeAll(async () => {
    ctx = await createTestContext();
    await seedSyntheticStore(ctx.db);
    keys.read = (await createApiKey(ctx.db.pool, 'read', 'ws read')).key;
    keys.admin = (await createApiKey(ctx.db.pool, 'admin', 'ws admin')).key;
    worker = startChildWorker(ctx);
    await waitForWorkerReady(worker);
    gw = await startGateway(ctx, { authCacheMs: 0 });
    wsUrl = `${gw.url.replace(/^http/, 'ws')}/graphql`;
  }, 120_000);

  afterAll(async () => {
    await Promise.all(
      clients.map(async (c) => {
        await c.dispose();
      }),
    );
    if (!closed) await gw.close();
    await worker.stop();
    await ctx.close();
  });

  const client = (opts: { params?: Record<string, unknown>; headers?: Record<string, string> } = {}) => {
    const closes: number[] = [];
    const c = createClient({
      url: wsUrl,
      webSocketImpl: withHeaders(opts.headers ?? {}),
      connectionParams: opts.params,
      retryAttempts: 0,
      lazy: false,
      // Tests read the close code; the default handler would report a refused socket as a retryable error.
      onNonLazyError: () => undefined,
      on: {
        closed: (event) => {
          closes.push((event as { code: number }).code);
        },
      },
    });
    clients.push(c);
    return { c, closes };
  };

  /** Every result of one operation until it completes, or the error that ended it. */
  const collect = (c: Client, query: string, variables: Record<string, unknown> = {}) =>
    new Promise<{ results: FormattedExecutionResult<Progress, unknown>[]; error?: unknown }>((resolve) => {
      const results: FormattedExecutionResult<Progress, unknown>[] = [];
      c.subscribe<Progress>(
        { query, variables },
        {
          next: (r) => {
            results.push(r);
          },
          error: (error) => {
            resolve({ results, error });
          },
          complete: () => {
            resolve({ results });
          },
        },
      );
    });

  let finishedRunId = '';

  it("streams a run's progress from the worker process until it has succeeded, then completes", async () => {
    const { c } = client({ params: { apiKey: keys.read } });
    const run = await gw.pipeline.startRun({ trigger: 'test' });
    finishedRunId = String(run.id);
    const { results, error } = await collect(c, PROGRESS, { id: run.id });
    expect(error).toBeUndefined();
    expect(results.every((r) => r.errors === undefined)).toBe(true);
    const states = results.map((r) => r.data!.runProgress!);
    expect(states.at(-1)!.status).toBe('SUCCEEDED');
    // Progress, not just the end: states while it ran, each with some stage running.
    const running = states.filter((s) => s.status === 'RUNNING');
    expect(running.length).toBeGreaterThan(0);
    const stagesSeenRunning = new Set(
      running.flatMap((s) => s.stages.filter((st) => st.status === 'running').map((st) => st.name)),
    );
    expect(stagesSeenRunning.size).toBeGreaterThan(1);
    // In pipeline order: once a stage has finished it is never seen running again.
    const finishedAt = new Map<string, number>();
    states.forEach((s, i) => {
      for (const st of s.stages) {
        if (st.status === 'succeeded' && !finishedAt.has(st.name)) finishedAt.set(st.name, i);
        if (st.status === 'running') expect(finishedAt.has(st.name)).toBe(false);
      }
    });
  }, 150_000);

  it('answers a finished run once, and null for a run that does not exist', async () => {
    const { c } = client({ params: { apiKey: keys.admin } });
    const done = await collect(c, PROGRESS, { id: finishedRunId });
    expect(done.results.map((r) => r.data?.runProgress?.status)).toEqual(['SUCCEEDED']);
    const none = await collect(c, PROGRESS, { id: '999999' });
    expect(none.results.map((r) => r.data?.runProgress)).toEqual([null]);
  });

  it('refuses anonymous subscribers per field, and a wrong key at connection (4403)', async () => {
    const anonymous = client();
    const refused = await collect(anonymous.c, PROGRESS, { id: finishedRunId });
    const errors = refused.results[0]?.errors ?? (refused.error as { message: string }[] | undefined);
    expect(JSON.stringify(errors)).toContain('this needs an API key');
    const wrong = client({ params: { apiKey: 'rk_not_a_real_key_000000000000' } });
    await collect(wrong.c, PROGRESS, { id: finishedRunId });
    expect(wrong.closes).toContain(4403);
  });

  it('serves only subscriptions: queries and mutations go to POST /graphql', async () => {
    const { c } = client({ params: { apiKey: keys.admin } });
    const { error } = await collect(c, `{ systemStatus { engine } }`);
    expect(JSON.stringify(error)).toContain('only subscriptions are served on the WebSocket');
  });

  it("takes the session cookie only from the gateway's own Origin with the CSRF token", async () => {
    const signIn = await fetch(`${gw.url}/auth/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ key: keys.read }),
    });
    expect(signIn.status).toBe(200);
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
    const { csrfToken } = (await signIn.json()) as { csrfToken: string };
    const own = new URL(gw.url).origin;

    const foreign = client({ headers: { cookie, origin: 'https://evil.example' }, params: { csrfToken } });
    await collect(foreign.c, PROGRESS, { id: finishedRunId });
    expect(foreign.closes).toContain(4403);
    const noToken = client({ headers: { cookie, origin: own } });
    await collect(noToken.c, PROGRESS, { id: finishedRunId });
    expect(noToken.closes).toContain(4403);

    const page = client({ headers: { cookie, origin: own }, params: { csrfToken } });
    const ok = await collect(page.c, PROGRESS, { id: finishedRunId });
    expect(ok.results.map((r) => r.data?.runProgress?.status)).toEqual(['SUCCEEDED']);
  });

  it("closes open sockets on the gateway's shutdown (1001), which then completes", async () => {
    const { c, closes } = client({ params: { apiKey: keys.read } });
    await new Promise<void>((resolve) =>
      c.on('connected', () => {
        resolve();
      }),
    );
    closed = true;
    await gw.close();
    await waitFor('the socket to close', () => Promise.resolve(closes.length > 0));
    expect(closes).toEqual([1001]);
  });
});
