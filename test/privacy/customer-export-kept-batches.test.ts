// A customer's data export while an experiment's variant is pinned to an older model version:
// the lists that variant serves them live in the batch's kept copies (`<table>_b<version>`), and
// the export reads them there, beside the live tables' lists, with the experiments they are in.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { exportCustomerData } from '../../src/privacy/customer-export';
import { loadResults, retainedTables } from '../../src/results';
import { DirectoryObjectStore } from '../../src/storage/directory-object-store';
import { DEFAULT_LOAD_GUARD, insertStore } from '../support/factories';
import { createTestContext, type TestContext } from '../support/test-context';

const USERS = ['u1', 'u2'];

describe('customer data export with a kept batch', () => {
  let ctx: TestContext;
  let dir: string;
  let store: DirectoryObjectStore;

  beforeAll(async () => {
    ctx = await createTestContext();
    dir = await mkdtemp(path.join(tmpdir(), 'recs-export-kept-'));
    store = new DirectoryObjectStore(dir);
    await insertStore(ctx.db, {
      customers: USERS.map((id) => ({ id })),
      products: ['p1', 'p2'].map((id) => ({ id, name: id })),
    });
  });
  afterAll(async () => {
    await ctx.close();
    await rm(dir, { recursive: true, force: true });
  });

  const model = async (runId: number) =>
    (
      await ctx.db.pool.query<{ id: number }>(
        `INSERT INTO model_versions (run_id, engine, recipe) VALUES ($1, 'local', 'user-personalization') RETURNING id`,
        [runId],
      )
    ).rows[0]!.id;
  /** Loads run `runId` whose model recommends `product` to everyone. */
  const load = async (runId: number, product: string, pins: number[]) => {
    const key = `r${runId}/user-personalization.jsonl`;
    await store.put(
      key,
      USERS.map((u) => JSON.stringify({ input: { userId: u }, output: { recommendedItems: [product] } })).join('\n') +
        '\n',
    );
    return loadResults(ctx.db, store, {
      runId,
      mode: 'FULL',
      outputs: { 'user-personalization': key },
      fillUsersFromPopularity: false,
      guard: DEFAULT_LOAD_GUARD,
      pinnedModelVersions: () => Promise.resolve(pins),
    });
  };

  it('reads the kept copies the pinned variant serves, and names the experiment and its batch', async () => {
    const m1 = await model(1);
    const b1 = (await load(1, 'p1', [m1])).batch;
    const { rows } = await ctx.db.pool.query<{ id: number }>(
      `INSERT INTO experiments (name, status, surfaces, variants, control_key, started_at)
       VALUES ('old model vs live', 'RUNNING', '{RECOMMENDATIONS}', $1, 'a', now()) RETURNING id`,
      [
        JSON.stringify([
          { key: 'a', name: 'Run 1 model', share: 50, strategy: { kind: 'BATCH', modelVersion: m1 } },
          { key: 'b', name: 'Live', share: 50, strategy: { kind: 'BATCH' } },
        ]),
      ],
    );
    const experimentId = rows[0]!.id;
    await ctx.db.pool.query(
      `INSERT INTO experiment_subjects (experiment_id, subject_id, variant, exposures, first_exposed_at, last_exposed_at)
       VALUES ($1, 'u1', 'a', 3, '2026-11-30T10:00:00Z', '2026-11-30T11:00:00Z'),
              ($1, 'u2', 'b', 1, '2026-11-30T10:00:00Z', '2026-11-30T10:00:00Z')`,
      [experimentId],
    );
    await model(2);
    const b2 = (await load(2, 'p2', [m1])).batch;
    expect(new Set((await retainedTables(ctx.db.pool)).map((t) => t.version))).toEqual(new Set([b1.version]));

    const u1 = await exportCustomerData(ctx.db.pool, 'u1');
    const products = (list: unknown) => (list as { product_id: string }[]).map((e) => e.product_id);
    // The live tables hold run 2's list; the kept copies run 1's, which variant a serves u1.
    expect(products(u1.recommendations)).toEqual(['p2']);
    expect(u1.keptBatches).toHaveLength(1);
    expect(u1.keptBatches[0]).toMatchObject({ batchVersion: b1.version, itemAffinities: null, segments: [] });
    expect(products(u1.keptBatches[0]!.recommendations)).toEqual(['p1']);
    expect(u1.experiments).toEqual([
      {
        experimentId,
        experiment: 'old model vs live',
        variant: 'a',
        exposures: 3,
        firstExposedAt: new Date('2026-11-30T10:00:00Z'),
        lastExposedAt: new Date('2026-11-30T11:00:00Z'),
        servedBatchVersion: b1.version,
      },
    ]);
    // u2's variant serves the live batch.
    const u2 = await exportCustomerData(ctx.db.pool, 'u2');
    expect(u2.experiments).toEqual([expect.objectContaining({ variant: 'b', servedBatchVersion: null })]);
    expect(b2.version).toBeGreaterThan(b1.version);
  });
});
