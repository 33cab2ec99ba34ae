import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadResults } from '../../src/results';
import { DirectoryObjectStore } from '../../src/storage/directory-object-store';
import { createTestContext, type TestContext } from '../support/test-context';
import { DEFAULT_LOAD_GUARD } from '../support/factories';

const USERS = 3_000;

describe('loadResults under concurrent reads', () => {
  let ctx: TestContext;
  let dir: string;
  let store: DirectoryObjectStore;

  beforeAll(async () => {
    ctx = await createTestContext();
    dir = await mkdtemp(path.join(tmpdir(), 'recs-swap-'));
    store = new DirectoryObjectStore(dir);
    for (const batch of ['A', 'B']) {
      const lines: string[] = [];
      for (let u = 0; u < USERS; u += 1) {
        lines.push(
          JSON.stringify({
            input: { userId: `u${u}` },
            output: { recommendedItems: [`${batch}-1`, `${batch}-2`], scores: [0.2, 0.1] },
          }),
        );
      }
      await store.put(`${batch}/user-personalization.jsonl`, lines.join('\n'));
    }
  });

  afterAll(async () => {
    await ctx.close();
    await rm(dir, { recursive: true, force: true });
  });

  const load = (batch: string, runId: number) =>
    loadResults(ctx.db, store, {
      runId,
      mode: 'FULL',
      outputs: { 'user-personalization': `${batch}/user-personalization.jsonl` },
      fillUsersFromPopularity: false,
      guard: DEFAULT_LOAD_GUARD,
    });

  it('a reader sees the old batch or the new one, never a mix and never an empty table', async () => {
    await load('A', 1);
    let loading = true;
    const seen = new Set<string>();
    let reads = 0;
    // A named function, not an IIFE: TypeScript would treat an IIFE's body as running only at
    // this point, where `loading` is still true.
    const read = async () => {
      while (loading) {
        const { rows } = await ctx.db.pool.query<{ batch: string; n: number }>(
          `SELECT left(recommendations->0->>'product_id', 1) AS batch, count(*)::int AS n
             FROM offline_user_recommendations GROUP BY 1`,
        );
        reads += 1;
        expect(rows).toHaveLength(1);
        expect(rows[0]!.n).toBe(USERS);
        seen.add(rows[0]!.batch);
      }
    };
    const reader = read();
    await load('B', 2);
    await load('A', 3);
    loading = false;
    await reader;
    expect(reads).toBeGreaterThan(3);
    expect([...seen].sort()).toEqual(['A', 'B']);
  });
  it('a swap stuck behind a long reader gives up after LOAD_SWAP_LOCK_TIMEOUT_MS instead of blocking readers', async () => {
    await load('A', 20);
    const reader = await ctx.db.pool.connect();
    try {
      // An open transaction that has read the live table holds ACCESS SHARE until it ends.
      await reader.query('BEGIN');
      await reader.query('SELECT 1 FROM offline_user_recommendations LIMIT 1');
      await expect(load('B', 21)).rejects.toMatchObject({ code: '55P03' });
      await reader.query('COMMIT');
    } finally {
      reader.release();
    }
    // The failed swap left the old batch live and nothing locked.
    const { rows } = await ctx.db.pool.query<{ b: string }>(
      `SELECT DISTINCT left(recommendations->0->>'product_id', 1) AS b FROM offline_user_recommendations`,
    );
    expect(rows.map((r) => r.b)).toEqual(['A']);
  }, 60_000);
});
