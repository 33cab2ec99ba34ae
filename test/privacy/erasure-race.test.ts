// An erasure racing a write already in flight: a recordEvents group commit (or an order upsert)
// that checked erased_customers before the erasure began, and commits after the erasure's DELETE
// ran, would leave the customer's row behind for the next export. The erasure must wait for such
// writes and delete what they stored.
import { createLogger } from '../../src/infra/logger';
import { eraseCustomers } from '../../src/privacy/customer-erasure';
import { createTestContext, type TestContext } from '../support/test-context';
import { waitFor } from '../support/wait-for';

describe('an erasure racing an in-flight write', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(async () => {
    await ctx.close();
  });

  it('waits for the uncommitted event insert and deletes the event it stored', async () => {
    const writer = await ctx.db.pool.connect();
    try {
      // The in-flight write: its erased check already passed, its row is not committed yet.
      await writer.query('BEGIN');
      await writer.query(
        `INSERT INTO events (event_id, user_id, product_id, event_type, occurred_at, source)
         VALUES ('race-1', 'racer', 'p-1', 'view', now(), 'api')`,
      );
      const erasure = eraseCustomers(
        { db: ctx.db, redis: null, prefix: ctx.config.redis.prefix, logger: createLogger({ logLevel: 'silent' }) },
        ['racer'],
        'test',
      );
      // The erasure is waiting on the writer's lock (not done while the writer is open).
      await waitFor('the erasure to wait for the writer', async () => {
        const { rows } = await ctx.db.pool.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'LOCK TABLE%'`,
        );
        return (rows[0]?.n ?? 0) > 0;
      });
      await writer.query('COMMIT');
      await erasure;
    } finally {
      writer.release();
    }
    const { rows } = await ctx.db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM events WHERE user_id = 'racer'`,
    );
    expect(rows[0]?.n).toBe(0);
  });
});
