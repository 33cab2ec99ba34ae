import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LoadRefusedError, loadResults } from '../../src/results';
import { DirectoryObjectStore } from '../../src/storage/directory-object-store';
import { insertStore, DEFAULT_LOAD_GUARD } from '../support/factories';
import { createTestContext, type TestContext } from '../support/test-context';

const jsonl = (rows: unknown[]) => rows.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n') + '\n';

describe('loadResults', () => {
  let ctx: TestContext;
  let dir: string;
  let store: DirectoryObjectStore;

  beforeAll(async () => {
    ctx = await createTestContext();
    dir = await mkdtemp(path.join(tmpdir(), 'recs-load-'));
    store = new DirectoryObjectStore(dir);
    await insertStore(ctx.db, { customers: [{ id: 'u1' }, { id: 'u2' }, { id: 'u3' }] });
  });

  afterAll(async () => {
    await ctx.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('loads every recipe output into its cache table in the contract shape', async () => {
    await store.put(
      'b1/user-personalization.jsonl',
      jsonl([
        { input: { userId: 'u1' }, output: { recommendedItems: ['p1', 'p2'], scores: [0.51, 0.33] }, error: null },
        { input: { userId: 'u2' }, output: { recommendedItems: ['p3'], scores: [0.9] } },
      ]),
    );
    await store.put(
      'b1/similar-items.jsonl',
      jsonl([{ input: { itemId: 'p1' }, output: { recommendedItems: ['p2', 'p3'] } }]),
    );
    await store.put(
      'b1/item-affinity.jsonl',
      jsonl([{ input: { itemId: 'p1' }, output: { recommendedUsers: ['u1', 'u2'] } }]),
    );
    await store.put(
      'b1/popularity-count.jsonl',
      jsonl([
        { input: { scope: 'global' }, output: { recommendedItems: ['p1', 'p2'], scores: [10, 5] } },
        { input: { scope: 'category', category: 'Kitchen' }, output: { recommendedItems: ['p2'], scores: [5] } },
      ]),
    );
    const result = await loadResults(ctx.db, store, {
      runId: 1,
      mode: 'FULL',
      outputs: {
        'user-personalization': 'b1/user-personalization.jsonl',
        'similar-items': 'b1/similar-items.jsonl',
        'item-affinity': 'b1/item-affinity.jsonl',
        'popularity-count': 'b1/popularity-count.jsonl',
      },
      fillUsersFromPopularity: false,
      guard: DEFAULT_LOAD_GUARD,
    });
    expect(result.rows).toEqual({ userRecommendations: 2, similarItems: 1, itemSegments: 1, popularItems: 2 });
    expect(result.failedLines).toBe(0);
    const { rows: recs } = await ctx.db.pool.query(
      'SELECT user_id, recommendations, recipe_name FROM offline_user_recommendations ORDER BY 1',
    );
    expect(recs).toEqual([
      {
        user_id: 'u1',
        recommendations: [
          { product_id: 'p1', score: 0.51 },
          { product_id: 'p2', score: 0.33 },
        ],
        recipe_name: 'user-personalization',
      },
      { user_id: 'u2', recommendations: [{ product_id: 'p3', score: 0.9 }], recipe_name: 'user-personalization' },
    ]);
    const { rows: similar } = await ctx.db.pool.query<{ similar_products: unknown }>(
      'SELECT similar_products FROM offline_similar_items',
    );
    expect(similar[0]!.similar_products).toEqual([
      { product_id: 'p2', score: null },
      { product_id: 'p3', score: null },
    ]);
    const { rows: seg } = await ctx.db.pool.query<{ users: unknown }>('SELECT users FROM offline_item_segments');
    expect(seg[0]!.users).toEqual([
      { user_id: 'u1', score: null },
      { user_id: 'u2', score: null },
    ]);
    const { rows: pop } = await ctx.db.pool.query('SELECT scope, scope_value FROM offline_popular_items ORDER BY 1');
    expect(pop).toEqual([
      { scope: 'category', scope_value: 'Kitchen' },
      { scope: 'global', scope_value: '' },
    ]);
    const { rows: batches } = await ctx.db.pool.query('SELECT id FROM cache_batches');
    expect(batches.map((b: { id: number }) => b.id)).toEqual([result.batchVersion]);
  });

  const liveUsers = async () =>
    (
      await ctx.db.pool.query<{ user_id: string }>('SELECT user_id FROM offline_user_recommendations ORDER BY 1')
    ).rows.map((r) => r.user_id);
  const batchCount = async () =>
    (await ctx.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM cache_batches')).rows[0]!.n;
  const mostlyBad = jsonl([
    { input: { userId: 'u3' }, output: { recommendedItems: ['p9'], scores: [0.2] } },
    { input: { userId: 'u9' }, output: null, error: 'user not found' },
    '{not json',
    { input: { userId: 'u4' }, output: { recommendedItems: ['p1'], scores: [0.1, 0.2] } },
  ]);

  it('refuses a batch whose failed lines exceed the limit (3 of 4): the live batch keeps serving', async () => {
    const before = await liveUsers();
    const batches = await batchCount();
    await store.put('b2/user-personalization.jsonl', mostlyBad);
    const load = loadResults(ctx.db, store, {
      runId: 2,
      mode: 'FULL',
      outputs: { 'user-personalization': 'b2/user-personalization.jsonl' },
      fillUsersFromPopularity: false,
      guard: DEFAULT_LOAD_GUARD,
    });
    await expect(load).rejects.toBeInstanceOf(LoadRefusedError);
    await expect(load).rejects.toThrow(
      'load refused: 3 of 4 batch output lines failed (75.0%, limit 1.0%); the live batch keeps serving',
    );
    expect(await liveUsers()).toEqual(before);
    expect(await batchCount()).toBe(batches);
    const { rows: leftovers } = await ctx.db.pool.query(
      `SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename LIKE 'stage_%'`,
    );
    expect(leftovers).toEqual([]);
  });

  it('refuses a batch that covers under half the live customers, and an empty one', async () => {
    const four = ['u1', 'u2', 'u3', 'u4'].map((userId) => ({
      input: { userId },
      output: { recommendedItems: ['p1'] },
    }));
    await store.put('b2f/user-personalization.jsonl', jsonl(four));
    await loadResults(ctx.db, store, {
      runId: 2,
      mode: 'FULL',
      outputs: { 'user-personalization': 'b2f/user-personalization.jsonl' },
      fillUsersFromPopularity: false,
      guard: DEFAULT_LOAD_GUARD,
    });
    const before = await liveUsers();
    expect(before).toHaveLength(4);
    await store.put(
      'b2c/user-personalization.jsonl',
      jsonl([{ input: { userId: 'u3' }, output: { recommendedItems: ['p9'], scores: [0.2] } }]),
    );
    await store.put('b2e/user-personalization.jsonl', '');
    for (const key of ['b2c/user-personalization.jsonl', 'b2e/user-personalization.jsonl']) {
      await expect(
        loadResults(ctx.db, store, {
          runId: 2,
          mode: 'FULL',
          outputs: { 'user-personalization': key },
          fillUsersFromPopularity: false,
          guard: DEFAULT_LOAD_GUARD,
        }),
      ).rejects.toThrow(
        /load refused: the new batch covers [01] customers, (25\.0|0\.0)% of the live batch's 4 \(limit 50\.0%\)/,
      );
    }
    expect(await liveUsers()).toEqual(before);
  });

  it('an admin can force a refused batch in: failed lines are counted, the rest loads', async () => {
    await store.put('b2/user-personalization.jsonl', mostlyBad);
    const result = await loadResults(ctx.db, store, {
      runId: 2,
      mode: 'FULL',
      outputs: { 'user-personalization': 'b2/user-personalization.jsonl' },
      fillUsersFromPopularity: false,
      guard: { ...DEFAULT_LOAD_GUARD, force: true },
    });
    expect(result).toMatchObject({ failedLines: 3, lines: 4 });
    expect(result.problems.map((p) => p.line)).toEqual([2, 3, 4]);
    expect(await liveUsers()).toEqual(['u3']);
    // Tables the run produced nothing for keep their rows.
    const { rows: similar } = await ctx.db.pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM offline_similar_items',
    );
    expect(similar[0]!.n).toBe(1);
  });

  it('UPDATE merges only the changed customers into the live table', async () => {
    await store.put(
      'b3/user-personalization.jsonl',
      jsonl([
        { input: { userId: 'u1' }, output: { recommendedItems: ['p7'], scores: [0.7] } },
        { input: { userId: 'u3' }, output: { recommendedItems: ['p8'], scores: [0.8] } },
      ]),
    );
    await loadResults(ctx.db, store, {
      runId: 3,
      mode: 'UPDATE',
      outputs: { 'user-personalization': 'b3/user-personalization.jsonl' },
      only: { users: new Set(['u1']), items: new Set() },
      fillUsersFromPopularity: false,
      guard: DEFAULT_LOAD_GUARD,
    });
    const { rows } = await ctx.db.pool.query(
      'SELECT user_id, recommendations FROM offline_user_recommendations ORDER BY 1',
    );
    expect(rows).toEqual([
      { user_id: 'u1', recommendations: [{ product_id: 'p7', score: 0.7 }] },
      { user_id: 'u3', recommendations: [{ product_id: 'p9', score: 0.2 }] },
    ]);
  });

  it('fills every customer from the global popularity list when no personalised output exists', async () => {
    await store.put(
      'b4/popularity-count.jsonl',
      jsonl([{ input: { userId: 'anyone' }, output: { recommendedItems: ['p5', 'p6'] } }]),
    );
    const result = await loadResults(ctx.db, store, {
      runId: 4,
      mode: 'FULL',
      outputs: { 'popularity-count': 'b4/popularity-count.jsonl' },
      fillUsersFromPopularity: true,
      guard: DEFAULT_LOAD_GUARD,
    });
    expect(result.rows.userRecommendations).toBe(3);
    const { rows } = await ctx.db.pool.query(
      'SELECT DISTINCT recommendations, recipe_name FROM offline_user_recommendations',
    );
    expect(rows).toEqual([
      {
        recommendations: [
          { product_id: 'p5', score: null },
          { product_id: 'p6', score: null },
        ],
        recipe_name: 'popularity-count',
      },
    ]);
  });

  it('leaves the live tables untouched when a load fails midway', async () => {
    await store.put(
      'b5/user-personalization.jsonl',
      jsonl([{ input: { userId: 'u1' }, output: { recommendedItems: ['px'] } }]),
    );
    await expect(
      loadResults(ctx.db, store, {
        runId: 5,
        mode: 'FULL',
        outputs: { 'user-personalization': 'b5/user-personalization.jsonl', 'similar-items': 'b5/missing.jsonl' },
        fillUsersFromPopularity: false,
        guard: DEFAULT_LOAD_GUARD,
      }),
    ).rejects.toThrow(/not found/);
    const { rows } = await ctx.db.pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM offline_user_recommendations',
    );
    expect(rows[0]!.n).toBe(3);
  });
});
