// Bug 1 (issue 11): the served modelVersion is the model that produced the batch being served, not
// the newest model_versions row of the recipe. A later run that trains and then fails (or a
// `recs evaluate` call) writes a newer row; answers from the batch already loaded keep their label.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadResults } from '../../src/results';
import { DirectoryObjectStore } from '../../src/storage/directory-object-store';
import { startGateway, type Harness } from '../support/gateway-harness';
import { seedCatalogue } from '../support/serving-fixtures';
import { createTestContext, type TestContext } from '../support/test-context';
import { DEFAULT_LOAD_GUARD } from '../support/factories';

const jsonl = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

describe('batch provenance: the served modelVersion', () => {
  let ctx: TestContext;
  let dir: string;
  let h: Harness | undefined;

  beforeAll(async () => {
    ctx = await createTestContext();
    dir = await mkdtemp(path.join(tmpdir(), 'recs-provenance-'));
    await seedCatalogue(ctx.db, 10);
    await ctx.db.pool.query(`INSERT INTO customers (id) VALUES ('c1')`);
  });

  afterAll(async () => {
    await h?.close();
    await ctx.close();
    await rm(dir, { recursive: true, force: true });
  });

  const runRow = async () =>
    (
      await ctx.db.pool.query<{ id: number }>(
        `INSERT INTO pipeline_runs (engine, recipes) VALUES ('local', '{user-personalization}') RETURNING id`,
      )
    ).rows[0]!.id;
  const modelRow = async (runId: number) =>
    (
      await ctx.db.pool.query<{ id: number }>(
        `INSERT INTO model_versions (run_id, engine, recipe, params, trained_at) VALUES ($1, 'local', 'user-personalization', '{"factors": 8}', now()) RETURNING id`,
        [runId],
      )
    ).rows[0]!.id;

  it('is recorded on the batch by the loader; an UPDATE run keeps the models of recipes it did not retrain', async () => {
    const store = new DirectoryObjectStore(dir);
    const full = await runRow();
    const userModel = await modelRow(full);
    await store.put(
      'f/user-personalization.jsonl',
      jsonl([{ input: { userId: 'c1' }, output: { recommendedItems: ['p3'] } }]),
    );
    const first = await loadResults(ctx.db, store, {
      runId: full,
      mode: 'FULL',
      outputs: { 'user-personalization': 'f/user-personalization.jsonl' },
      fillUsersFromPopularity: false,
      guard: DEFAULT_LOAD_GUARD,
    });
    expect(first.batch.modelVersions).toEqual({ 'user-personalization': userModel });
    expect(first.batch.paramsDigest).toMatch(/^[0-9a-f]{16}$/);

    const update = await runRow();
    const similarModel = (
      await ctx.db.pool.query<{ id: number }>(
        `INSERT INTO model_versions (run_id, engine, recipe, params) VALUES ($1, 'local', 'similar-items', '{}') RETURNING id`,
        [update],
      )
    ).rows[0]!.id;
    await store.put(
      'u/similar-items.jsonl',
      jsonl([{ input: { itemId: 'p1' }, output: { recommendedItems: ['p2'] } }]),
    );
    const second = await loadResults(ctx.db, store, {
      runId: update,
      mode: 'UPDATE',
      outputs: { 'similar-items': 'u/similar-items.jsonl' },
      only: { users: new Set(), items: new Set(['p1']) },
      fillUsersFromPopularity: false,
      guard: DEFAULT_LOAD_GUARD,
    });
    expect(second.batch.modelVersions).toEqual({ 'user-personalization': userModel, 'similar-items': similarModel });
    expect(second.batch.paramsDigest).not.toBe(first.batch.paramsDigest);
    const { rows } = await ctx.db.pool.query(`SELECT run_id, model_versions FROM cache_batches WHERE id = $1`, [
      second.batchVersion,
    ]);
    expect(rows[0]).toEqual({ run_id: update, model_versions: second.batch.modelVersions });
  });

  it('stays the model of the loaded batch after a newer model_versions row of the recipe appears', async () => {
    const runA = await runRow();
    const modelA = await modelRow(runA);
    const store = new DirectoryObjectStore(dir);
    await store.put(
      'a/user-personalization.jsonl',
      jsonl([{ input: { userId: 'c1' }, output: { recommendedItems: ['p1', 'p2'], scores: [0.9, 0.8] } }]),
    );
    await loadResults(ctx.db, store, {
      runId: runA,
      mode: 'FULL',
      outputs: { 'user-personalization': 'a/user-personalization.jsonl' },
      fillUsersFromPopularity: false,
      guard: DEFAULT_LOAD_GUARD,
    });

    // Run B trains (its model row is written) and then fails before load-results: nothing is loaded.
    const runB = await runRow();
    const modelB = await modelRow(runB);
    expect(modelB).toBeGreaterThan(modelA);

    const gateway = await startGateway(ctx);
    h = gateway;
    const r = await gateway.gql<{
      recommendations: { modelVersion: string | null; items: { product: { id: string } }[] };
    }>(`{ recommendations(userId: "c1", limit: 2) { modelVersion items { product { id } } } }`);
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data!.recommendations.items.map((i) => i.product.id)).toEqual(['p1', 'p2']);
    expect(r.body.data!.recommendations.modelVersion).toBe(String(modelA));
  });
});
