// The loader's "exclude purchased" (src/results/purchase-exclusion.ts), on either engine's output:
// a customer's list loses every product of their whole purchase history in PostgreSQL (order
// lines and purchase events), in FULL and UPDATE loads, order kept; other customers are untouched.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadResults } from '../../src/results';
import { DirectoryObjectStore } from '../../src/storage/directory-object-store';
import { DEFAULT_LOAD_GUARD } from '../support/factories';
import { createTestContext, type TestContext } from '../support/test-context';

const line = (userId: string, items: string[]) =>
  JSON.stringify({ input: { userId }, output: { recommendedItems: items, scores: items.map(() => 0.5) } });

describe('exclude purchased in the loader', () => {
  let ctx: TestContext;
  let dir: string;
  let store: DirectoryObjectStore;

  beforeAll(async () => {
    ctx = await createTestContext();
    dir = await mkdtemp(path.join(tmpdir(), 'recs-excl-'));
    store = new DirectoryObjectStore(dir);
    await ctx.db.pool.query(`INSERT INTO customers (id) VALUES ('u1'), ('u2')`);
    await ctx.db.pool.query(
      `INSERT INTO order_items (line_key, order_id, customer_id, product_id, quantity, event_type, occurred_at) VALUES
         ('o1:1', 'o1', 'u1', 'p2', 1, 'purchase', now() - interval '3 years'),
         ('o1:2', 'o1', 'u1', 'p4', 1, 'return', now())`,
    );
    await ctx.db.pool.query(
      `INSERT INTO events (event_id, user_id, product_id, event_type, occurred_at, source) VALUES
         ('x1', 'u1', 'p3', 'purchase', now(), 'api'), ('x2', 'u2', 'p1', 'view', now(), 'api')`,
    );
  });
  afterAll(async () => {
    await ctx.close();
    await rm(dir, { recursive: true, force: true });
  });

  const listOf = async (userId: string): Promise<string[]> =>
    (
      await ctx.db.pool.query<{ recommendations: { product_id: string }[] }>(
        'SELECT recommendations FROM offline_user_recommendations WHERE user_id = $1',
        [userId],
      )
    ).rows[0]!.recommendations.map((r) => r.product_id);

  it('FULL: drops purchased products (order lines and purchase events), keeps the order and the rest', async () => {
    await store.put(
      'f/user-personalization.jsonl',
      `${line('u1', ['p1', 'p2', 'p3', 'p4'])}\n${line('u2', ['p1', 'p2'])}\n`,
    );
    const result = await loadResults(ctx.db, store, {
      runId: 1,
      mode: 'FULL',
      outputs: { 'user-personalization': 'f/user-personalization.jsonl' },
      fillUsersFromPopularity: false,
      guard: DEFAULT_LOAD_GUARD,
      excludePurchased: true,
    });
    expect(result.purchasedExcluded).toBe(1);
    expect(await listOf('u1')).toEqual(['p1', 'p4']);
    expect(await listOf('u2')).toEqual(['p1', 'p2']);
  });

  it('UPDATE: the merged lists are cleaned the same way', async () => {
    await store.put('u/user-personalization.jsonl', `${line('u1', ['p3', 'p5', 'p2'])}\n`);
    await loadResults(ctx.db, store, {
      runId: 2,
      mode: 'UPDATE',
      outputs: { 'user-personalization': 'u/user-personalization.jsonl' },
      only: { users: new Set(['u1']), items: new Set() },
      fillUsersFromPopularity: false,
      guard: DEFAULT_LOAD_GUARD,
      excludePurchased: true,
    });
    expect(await listOf('u1')).toEqual(['p5']);
  });

  it('off (EXCLUDE_PURCHASED=false): lists load as the engine wrote them', async () => {
    await store.put('o/user-personalization.jsonl', `${line('u1', ['p2', 'p3'])}\n${line('u2', ['p1'])}\n`);
    await loadResults(ctx.db, store, {
      runId: 3,
      mode: 'FULL',
      outputs: { 'user-personalization': 'o/user-personalization.jsonl' },
      fillUsersFromPopularity: false,
      guard: { ...DEFAULT_LOAD_GUARD, force: true },
      excludePurchased: false,
    });
    expect(await listOf('u1')).toEqual(['p2', 'p3']);
  });
});
