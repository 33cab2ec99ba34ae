// The exposure recorder against PostgreSQL: a cached list served again folds into its subject's
// row (counted on the list itself), a subject's lists fold into one row and their shared products
// into one item row, items are rewritten at most hourly, a failed write keeps every count for the
// next flush, and lists past the limit are dropped and logged, never the request.
import type { Pool } from 'pg';
import { ExposureRecorder, servedExposure } from '../../src/experiments';
import { createLogger, type Logger } from '../../src/infra/logger';
import { createTestContext, type TestContext } from '../support/test-context';

const HOUR = 3_600_000;

describe('exposure recorder', () => {
  let ctx: TestContext;
  let logger: Logger;
  let experimentId: number;

  beforeAll(async () => {
    ctx = await createTestContext();
    logger = createLogger(ctx.config);
    const { rows } = await ctx.db.pool.query<{ id: number }>(
      `INSERT INTO experiments (name, status, surfaces, variants, control_key, started_at)
       VALUES ('recorder', 'RUNNING', '{RECOMMENDATIONS}', $1, 'a', now()) RETURNING id`,
      [JSON.stringify([{ key: 'a', name: 'A', share: 100, strategy: { kind: 'BATCH' } }])],
    );
    experimentId = rows[0]!.id;
  });
  afterAll(async () => {
    await ctx.close();
  });

  const recorder = (pool: Pick<Pool, 'query'> = ctx.db.pool, maxPendingLists = 10_000) =>
    new ExposureRecorder(pool, logger, { flushMs: 60_000, maxPendingLists });
  const subjectRow = async (subject: string) =>
    (
      await ctx.db.pool.query<{ variant: string; exposures: string; first: string; last: string }>(
        `SELECT variant, exposures, (extract(epoch FROM first_exposed_at) * 1000)::bigint AS first,
                (extract(epoch FROM last_exposed_at) * 1000)::bigint AS last
           FROM experiment_subjects WHERE experiment_id = $1 AND subject_id = $2`,
        [experimentId, subject],
      )
    ).rows[0];
  const itemTimes = async (subject: string) =>
    Object.fromEntries(
      (
        await ctx.db.pool.query<{ product_id: string; at: string }>(
          `SELECT product_id, (extract(epoch FROM last_exposed_at) * 1000)::bigint AS at
             FROM experiment_exposed_items WHERE experiment_id = $1 AND subject_id = $2`,
          [experimentId, subject],
        )
      ).rows.map((r) => [r.product_id, Number(r.at)]),
    );
  const list = (subject: string, productIds: string[]) =>
    servedExposure({ experimentId, variantKey: 'a', subject, productIds });

  it("folds a list served again, and a subject's lists, into one row; shared products into one item row", async () => {
    const r = recorder();
    const t0 = Date.UTC(2026, 10, 1, 12);
    const cached = list('s1', ['p1', 'p2']);
    for (let i = 0; i < 5; i++) r.recordAt(cached, t0 + i * 1000);
    r.recordAt(list('s1', ['p2', 'p3']), t0 + 10_000);
    expect(r.pendingLists).toBe(2);
    await r.flush();
    expect(r.pendingLists).toBe(0);
    expect(await subjectRow('s1')).toEqual({
      variant: 'a',
      exposures: '6',
      first: String(t0),
      last: String(t0 + 10_000),
    });
    expect(await itemTimes('s1')).toEqual({ p1: t0 + 4000, p2: t0 + 10_000, p3: t0 + 10_000 });
    expect(r.stats).toMatchObject({ recorded: 6, flushedLists: 2, dropped: 0, failedFlushes: 0 });
  });

  it("rewrites a list's products at most hourly, and adds to the counts of every flush", async () => {
    const r = recorder();
    const t0 = Date.UTC(2026, 10, 2, 12);
    const cached = list('s2', ['p1']);
    r.recordAt(cached, t0);
    await r.flush();
    r.recordAt(cached, t0 + 10 * 60_000);
    await r.flush();
    expect(await itemTimes('s2')).toEqual({ p1: t0 });
    r.recordAt(cached, t0 + 2 * HOUR);
    await r.flush();
    expect(await itemTimes('s2')).toEqual({ p1: t0 + 2 * HOUR });
    expect(await subjectRow('s2')).toMatchObject({ exposures: '3', first: String(t0), last: String(t0 + 2 * HOUR) });
  });

  it('keeps every count of a failed write, items included, for the next flush', async () => {
    let fail = true;
    const query = ((text: string, values?: unknown[]) =>
      fail ? Promise.reject(new Error('PostgreSQL is away')) : ctx.db.pool.query(text, values)) as Pool['query'];
    const r = recorder({ query });
    const t0 = Date.UTC(2026, 10, 3, 12);
    const cached = list('s3', ['p1', 'p2']);
    r.recordAt(cached, t0);
    r.recordAt(cached, t0 + 1000);
    await expect(r.flush()).rejects.toThrow('PostgreSQL is away');
    expect(r.stats.failedFlushes).toBe(1);
    // Counted while PostgreSQL was away, on top of what the failed write held.
    r.recordAt(cached, t0 + 2000);
    fail = false;
    await r.flush();
    expect(await subjectRow('s3')).toMatchObject({ exposures: '3', first: String(t0), last: String(t0 + 2000) });
    expect(await itemTimes('s3')).toEqual({ p1: t0 + 2000, p2: t0 + 2000 });
  });

  it('drops lists past the limit (counted and logged), never the ones already counted', async () => {
    const warnings: unknown[] = [];
    const watched = Object.assign(Object.create(logger) as Logger, {
      warn: (obj: unknown) => {
        warnings.push(obj);
      },
    });
    const r = new ExposureRecorder(ctx.db.pool, watched, { flushMs: 60_000, maxPendingLists: 2 });
    const t0 = Date.UTC(2026, 10, 4, 12);
    const first = list('s4', ['p1']);
    r.recordAt(first, t0);
    r.recordAt(list('s5', ['p1']), t0);
    r.recordAt(list('s6', ['p1']), t0);
    r.recordAt(first, t0 + 1000);
    expect(r.stats).toMatchObject({ recorded: 3, dropped: 1 });
    await r.flush();
    expect(warnings).toEqual([expect.objectContaining({ dropped: 1, maxPendingLists: 2 })]);
    expect(await subjectRow('s4')).toMatchObject({ exposures: '2' });
    expect(await subjectRow('s6')).toBeUndefined();
  });
});
