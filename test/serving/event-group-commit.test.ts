import { spawn } from 'node:child_process';
import path from 'node:path';
import type { Pool } from 'pg';
import { EventGroupCommit, type StoredEvent } from '../../src/serving/event-group-commit';
import { createTestContext, type TestContext } from '../support/test-context';
import { waitFor } from '../support/wait-for';

const event = (eventId: string): StoredEvent => ({
  eventId,
  userId: 'c1',
  productId: 'p1',
  eventType: 'view',
  eventValue: null,
  occurredAt: new Date(),
  recommendationId: null,
  sessionId: null,
});

describe('recordEvents group commit', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(async () => {
    await ctx.close();
  });

  const countOf = async (like: string) =>
    (
      await ctx.db.pool.query<{ n: number; distinct: number }>(
        `SELECT count(*)::int AS n, count(DISTINCT event_id)::int AS distinct FROM events WHERE event_id LIKE $1`,
        [like],
      )
    ).rows[0]!;

  it('writes many concurrent calls in few statements, each answered with what it stored, duplicates once', async () => {
    let statements = 0;
    const pool = ctx.db.pool;
    const counting = {
      query: (text: string, values: unknown[]) => {
        statements += 1;
        return pool.query(text, values);
      },
    } as unknown as Pool;
    const writer = new EventGroupCommit(counting, 5);
    // 200 calls; call i also repeats the id of call i-1, so every id but the last is named twice.
    const calls = Array.from({ length: 200 }, (_, i) =>
      writer.write(i === 0 ? [event('gc-0')] : [event(`gc-${i}`), event(`gc-${i - 1}`)]),
    );
    const stored = await Promise.all(calls);
    const all = stored.flatMap((r) => r.stored);
    expect(all).toHaveLength(200);
    expect(new Set(all).size).toBe(200);
    expect(await countOf('gc-%')).toEqual({ n: 200, distinct: 200 });
    expect(statements).toBeLessThan(50);
    // Already stored: nothing is stored again, nothing is claimed.
    expect(await writer.write([event('gc-7')])).toEqual({ stored: [], erased: [] });
  });

  it('starts the next group while one is committing, and answers each call after its own commit', async () => {
    const pool = ctx.db.pool;
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let started = 0;
    const slowFirst = {
      query: async (text: string, values: unknown[]) => {
        started += 1;
        if (started === 1) await held;
        return pool.query(text, values);
      },
    } as unknown as Pool;
    const writer = new EventGroupCommit(slowFirst, 0);
    let firstDone = false;
    const first = writer.write([event('inflight-1')]).then((r) => {
      firstDone = true;
      return r;
    });
    // The second call does not wait for the first statement's commit before its own statement.
    expect(await writer.write([event('inflight-2')])).toEqual({ stored: ['inflight-2'], erased: [] });
    expect(started).toBe(2);
    expect(firstDone).toBe(false);
    // A call naming the id being written waits for that write (the two statements never share an id).
    let thirdDone = false;
    const third = writer.write([event('inflight-1'), event('inflight-3')]).then((r) => {
      thirdDone = true;
      return r;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toBe(2);
    expect(thirdDone).toBe(false);
    release();
    expect(await first).toEqual({ stored: ['inflight-1'], erased: [] });
    expect(await third).toEqual({ stored: ['inflight-3'], erased: [] });
    expect(started).toBe(3);
  });

  it('fails every call of a group whose statement fails (nothing of it acknowledged)', async () => {
    const broken = { query: () => Promise.reject(new Error('connection lost')) } as unknown as Pool;
    const writer = new EventGroupCommit(broken, 5);
    const results = await Promise.allSettled([writer.write([event('x-1')]), writer.write([event('x-2')])]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });

  it('stores every acknowledged event exactly once when the process is killed mid-stream', async () => {
    const child = spawn(
      process.execPath,
      [path.resolve(__dirname, '../../bin/run-ts.js'), path.resolve(__dirname, '../support/event-writer-child.ts')],
      {
        env: {
          ...process.env,
          NODE_OPTIONS: '',
          DATABASE_URL: ctx.config.database.url,
          DATABASE_SCHEMA: ctx.config.database.schema,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.once('exit', (_code, signal) => {
        resolve(signal);
      }),
    );
    await waitFor('500 acknowledged events', () => {
      if (child.exitCode !== null) throw new Error(`the writer exited early: ${err.slice(0, 300)}`);
      return Promise.resolve((out.match(/^ACK /gm)?.length ?? 0) >= 500);
    });
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    // Only whole lines count as acknowledged: a line cut by the kill is not.
    const acked = out
      .split('\n')
      .filter((l) => /^ACK kill-\d+$/.test(l))
      .map((l) => l.slice(4));
    expect(acked.length).toBeGreaterThanOrEqual(500);
    const { rows } = await ctx.db.pool.query<{ event_id: string; n: number }>(
      `SELECT event_id, count(*)::int AS n FROM events WHERE event_id = ANY($1) GROUP BY event_id`,
      [acked],
    );
    expect(rows.length).toBe(acked.length);
    expect(rows.every((r) => r.n === 1)).toBe(true);
    const total = await countOf('kill-%');
    expect(total.n).toBe(total.distinct);
    expect(total.n).toBeGreaterThanOrEqual(acked.length);
  });
});
