// A variant pinned to a model version: two real pipeline runs (a worker process, the local
// engine), an experiment whose variant A is pinned to run 1's model and B serves the live batch.
// After run 2, A still serves run 1's lists (kept as retained copies), B run 2's; cached answers
// never cross; stopping the experiment drops the copies, and pinning a model whose batch is gone
// is a userError.
import { bucketOf } from '../../src/experiments';
import { createApiKey } from '../../src/gateway/auth/api-keys';
import { retainedTables } from '../../src/results';
import { startChildWorker } from '../support/child-worker';
import { startGateway, type Harness } from '../support/gateway-harness';
import { createPipelineHarness, type PipelineHarness } from '../support/pipeline-harness';
import { waitFor } from '../support/wait-for';

const CREATE = `mutation($input: CreateExperimentInput!) { createExperiment(input: $input) {
  experiment { id variants { key strategy { kind modelVersion } } } userErrors { field message code } } }`;
const MOVE = (name: string) => `mutation($id: ID!) { ${name}(id: $id) { experiment { status } userErrors { code } } }`;
const RECS = `query($u: ID!) { recommendations(userId: $u, limit: 5) {
  items { product { id } } modelVersion batchVersion experiment { variant } } }`;

interface Created {
  createExperiment: {
    experiment: {
      id: string;
      variants: { key: string; strategy: { kind: string; modelVersion: string | null } }[];
    } | null;
    userErrors: { field: string[] | null; message: string; code: string }[];
  };
}
interface Recs {
  recommendations: {
    items: { product: { id: string } }[];
    modelVersion: string | null;
    batchVersion: number;
    experiment: { variant: string } | null;
  };
}

/** The served items are the batch list's, in its order (products not for sale are left out). */
function inOrder(items: { product: { id: string } }[], list: string[] | undefined): boolean {
  let at = 0;
  for (const { product } of items) {
    const next = (list ?? []).indexOf(product.id, at);
    if (next < 0) return false;
    at = next + 1;
  }
  return items.length > 0;
}

describe('a variant pinned to a model version', () => {
  let h: PipelineHarness;
  let gw: Harness;
  let admin: string;

  beforeAll(async () => {
    h = await createPipelineHarness({ EXPERIMENTS_REFRESH_SECONDS: '1' });
    await h.spawn(() => startChildWorker(h.ctx));
    admin = (await createApiKey(h.ctx.db.pool, 'admin')).key;
  }, 60_000);
  afterAll(async () => {
    await gw.close();
    await h.close();
  });

  const run = async () => {
    const r = await h.service.startRun({ recipes: ['popularity-count', 'user-personalization'] });
    expect((await h.finished(r.id, 120_000)).status).toBe('succeeded');
  };
  const newestBatch = async () => {
    const { rows } = await h.ctx.db.pool.query<{ id: number; model_versions: Record<string, number> }>(
      'SELECT id, model_versions FROM cache_batches ORDER BY id DESC LIMIT 1',
    );
    return rows[0]!;
  };
  const liveLists = async (users: string[]) => {
    const { rows } = await h.ctx.db.pool.query<{ user_id: string; recommendations: { product_id: string }[] }>(
      'SELECT user_id, recommendations FROM offline_user_recommendations WHERE user_id = ANY($1)',
      [users],
    );
    return new Map(rows.map((r) => [r.user_id, r.recommendations.map((e) => e.product_id)]));
  };
  const recs = async (u: string) => (await gw.gql<Recs>(RECS, { u })).body.data!.recommendations;

  it('serves run 1 to variant A and run 2 to variant B, keeps run 1 only while the experiment runs', async () => {
    await run();
    const first = await newestBatch();
    const model1 = first.model_versions['user-personalization']!;
    expect(model1).toBeGreaterThan(0);
    gw = await startGateway(h.ctx);

    const created = await gw.gql<Created>(
      CREATE,
      {
        input: {
          name: 'run 1 model vs live',
          surfaces: ['RECOMMENDATIONS'],
          controlKey: 'a',
          variants: [
            { key: 'a', name: 'Run 1 model', share: 50, strategy: 'BATCH', modelVersion: String(model1) },
            { key: 'b', name: 'Live batch', share: 50, strategy: 'BATCH' },
          ],
        },
      },
      admin,
    );
    const experiment = created.body.data!.createExperiment.experiment!;
    expect(experiment.variants[0]?.strategy).toEqual({ kind: 'BATCH', modelVersion: String(model1) });
    await gw.gql(MOVE('startExperiment'), { id: experiment.id }, admin);

    // Customers with a personalised list, split by the experiment's own assignment.
    const { rows } = await h.ctx.db.pool.query<{ user_id: string }>(
      'SELECT user_id FROM offline_user_recommendations ORDER BY user_id LIMIT 80',
    );
    const users = rows.map((r) => r.user_id);
    const inA = users.filter((u) => bucketOf(Number(experiment.id), u) < 5_000);
    const inB = users.filter((u) => bucketOf(Number(experiment.id), u) >= 5_000);
    expect(inA.length).toBeGreaterThan(5);
    expect(inB.length).toBeGreaterThan(5);
    const run1 = await liveLists(users);
    // What everyone is served from run 1's batch (both variants serve it until run 2 is loaded).
    const before = new Map<string, string[]>();
    for (const u of users)
      before.set(
        u,
        (await recs(u)).items.map((i) => i.product.id),
      );

    // Run 2 learns from other interactions (half the order lines gone), so its lists differ.
    await h.ctx.db.pool.query('DELETE FROM order_items WHERE id % 2 = 0');
    await run();
    const second = await newestBatch();
    const model2 = second.model_versions['user-personalization']!;
    expect(model2).not.toBe(model1);
    const run2 = await liveLists(users);
    expect(users.some((u) => JSON.stringify(run1.get(u)) !== JSON.stringify(run2.get(u)))).toBe(true);
    // Run 1's batch is kept whole, as copies named after it.
    const kept = await retainedTables(h.ctx.db.pool);
    expect(new Set(kept.map((t) => t.version))).toEqual(new Set([first.id]));
    expect(kept.length).toBe(5);

    await waitFor('the gateway to serve run 2 to variant B', async () => {
      const b = await recs(inB[0]!);
      return b.batchVersion === second.id;
    });
    // Twice each: the second answer comes from the response cache, and must be the same variant's.
    for (let round = 0; round < 2; round += 1) {
      for (const u of inA) {
        const a = await recs(u);
        expect(a.experiment?.variant).toBe('a');
        expect(a.batchVersion).toBe(first.id);
        expect(a.modelVersion).toBe(String(model1));
        expect(a.items.map((i) => i.product.id)).toEqual(before.get(u));
        expect(inOrder(a.items, run1.get(u))).toBe(true);
      }
      for (const u of inB) {
        const b = await recs(u);
        expect(b.experiment?.variant).toBe('b');
        expect(b.batchVersion).toBe(second.id);
        expect(b.modelVersion).toBe(String(model2));
        expect(inOrder(b.items, run2.get(u))).toBe(true);
      }
    }
    // B moved to run 2 (some of its customers see other lists); A did not.
    const bNow = await Promise.all(
      inB.map(async (u) => JSON.stringify((await recs(u)).items.map((i) => i.product.id))),
    );
    expect(bNow.some((l, i) => l !== JSON.stringify(before.get(inB[i]!)))).toBe(true);

    // Stopping releases the pin: the copies go, and run 1's model can no longer be pinned.
    await gw.gql(MOVE('stopExperiment'), { id: experiment.id }, admin);
    expect(await retainedTables(h.ctx.db.pool)).toEqual([]);
    const again = await gw.gql<Created>(
      CREATE,
      {
        input: {
          name: 'too late',
          surfaces: ['RECOMMENDATIONS'],
          controlKey: 'a',
          variants: [
            { key: 'a', name: 'Run 1 model', share: 50, strategy: 'BATCH', modelVersion: String(model1) },
            { key: 'b', name: 'Live', share: 50, strategy: 'BATCH' },
          ],
        },
      },
      admin,
    );
    expect(again.body.data?.createExperiment.userErrors[0]).toMatchObject({
      code: 'INVALID',
      field: ['input', 'variants', '0', 'strategy', 'modelVersion'],
    });
    expect(again.body.data?.createExperiment.userErrors[0]?.message).toMatch(/no batch results/);
    // The live model can be pinned (its batch is the live one).
    const live = await gw.gql<Created>(
      CREATE,
      {
        input: {
          name: 'live model pinned',
          surfaces: ['RECOMMENDATIONS'],
          controlKey: 'a',
          variants: [
            { key: 'a', name: 'Run 2 model', share: 50, strategy: 'BATCH', modelVersion: String(model2) },
            { key: 'b', name: 'Live', share: 50, strategy: 'BATCH' },
          ],
        },
      },
      admin,
    );
    expect(live.body.data?.createExperiment.userErrors).toEqual([]);
  }, 300_000);
});
