// Experiments through the real gateway (PostgreSQL, Redis, the response cache): lifecycle
// mutations and their userErrors, sticky assignment shown on the response and in the
// recommendationId, cached answers that never cross variants and still count as exposures,
// events attributed by recommendationId, results and their CSV.
import { bucketOf, parseRecommendationId } from '../../src/experiments';
import { createApiKey } from '../../src/gateway/auth/api-keys';
import { seedServing } from '../support/serving-fixtures';
import { startGateway, type Harness } from '../support/gateway-harness';
import { createTestContext, type TestContext } from '../support/test-context';
import { waitFor } from '../support/wait-for';

const CREATE = `mutation($input: CreateExperimentInput!) { createExperiment(input: $input) {
  experiment { id status variants { key share isControl strategy { kind } } } userErrors { field message code } } }`;
const MOVE = (name: string) =>
  `mutation($id: ID!) { ${name}(id: $id) { experiment { id status } userErrors { field message code } } }`;
const RECS = `query($u: ID!) { recommendations(userId: $u, limit: 5) { items { product { id } } recommendationId experiment { experimentId variant measured } } }`;

interface Payload {
  experiment: { id: string; status: string } | null;
  userErrors: { field: string[] | null; message: string; code: string }[];
}
interface RecsAnswer {
  recommendations: {
    items: { product: { id: string } }[];
    recommendationId: string;
    experiment: { experimentId: string; variant: string; measured: boolean } | null;
  };
}

const input = (name: string, surfaces = ['RECOMMENDATIONS']) => ({
  name,
  surfaces,
  controlKey: 'batch',
  variants: [
    { key: 'batch', name: 'Batch', share: 50, strategy: 'BATCH' },
    { key: 'holdout', name: 'No recommendations', share: 50, strategy: 'HOLDOUT' },
  ],
  plannedCustomersPerVariant: 1000,
});

describe('experiments through the gateway', () => {
  let ctx: TestContext;
  let h: Harness;
  let admin: string;
  let ingest: string;

  beforeAll(async () => {
    ctx = await createTestContext({ EXPOSURE_FLUSH_MS: '100' });
    await seedServing(ctx.db);
    admin = (await createApiKey(ctx.db.pool, 'admin')).key;
    ingest = (await createApiKey(ctx.db.pool, 'ingest')).key;
    h = await startGateway(ctx);
  });
  afterAll(async () => {
    await h.close();
    await ctx.close();
  });

  it('refuses bad input as userErrors naming the field', async () => {
    const bad = { ...input('bad'), variants: [{ key: 'only', name: 'Only', share: 100, strategy: 'BATCH' }] };
    const r = await h.gql<{ createExperiment: Payload }>(CREATE, { input: bad }, admin);
    expect(r.body.data?.createExperiment.experiment).toBeNull();
    expect(r.body.data?.createExperiment.userErrors[0]).toMatchObject({
      code: 'INVALID',
      field: ['input', 'variants'],
    });
    const shares = { ...input('bad'), variants: input('x').variants.map((v) => ({ ...v, share: 40 })) };
    const r2 = await h.gql<{ createExperiment: Payload }>(CREATE, { input: shares }, admin);
    expect(r2.body.data?.createExperiment.userErrors[0]?.message).toMatch(/add up to 80/);
    const reader = (await createApiKey(ctx.db.pool, 'read')).key;
    const r3 = await h.gql(CREATE, { input: input('x') }, reader);
    expect(r3.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    // A read key sees them (the dashboard's read-only sign-in); anonymous callers do not.
    const seen = await h.gql<{ experiments: { id: string }[] }>(`{ experiments { id } }`, {}, reader);
    expect(seen.body.errors).toBeUndefined();
    const anonymous = await h.gql(`{ experiments { id } }`);
    expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('runs an experiment: sticky variants on the response and in the id, cache never crosses variants, exposures counted', async () => {
    const created = await h.gql<{ createExperiment: Payload }>(CREATE, { input: input('holdout test') }, admin);
    const id = created.body.data!.createExperiment.experiment!.id;
    const paused = await h.gql<{ pauseExperiment: Payload }>(MOVE('pauseExperiment'), { id }, admin);
    expect(paused.body.data?.pauseExperiment.userErrors[0]?.code).toBe('INVALID_TRANSITION');

    // Before the start: no experiment on the response; the answer is cached.
    const before = await h.gql<RecsAnswer>(RECS, { u: 'c1' });
    expect(before.body.data?.recommendations.experiment).toBeNull();

    const started = await h.gql<{ startExperiment: Payload }>(MOVE('startExperiment'), { id }, admin);
    expect(started.body.data?.startExperiment.experiment?.status).toBe('RUNNING');

    // A second experiment on the same surface cannot run at the same time.
    const other = await h.gql<{ createExperiment: Payload }>(CREATE, { input: input('rival') }, admin);
    const busy = await h.gql<{ startExperiment: Payload }>(
      MOVE('startExperiment'),
      { id: other.body.data!.createExperiment.experiment!.id },
      admin,
    );
    expect(busy.body.data?.startExperiment.userErrors[0]?.code).toBe('SURFACE_BUSY');

    // Subjects whose buckets fall in each half (the variants' order: batch first, then holdout).
    const users = ['c1', 'c2', 'c3', ...Array.from({ length: 40 }, (_, i) => `u${i}`)];
    const inBatch = users.filter((u) => bucketOf(Number(id), u) < 5000);
    const inHoldout = users.filter((u) => bucketOf(Number(id), u) >= 5000);
    expect(inBatch.length).toBeGreaterThan(0);
    expect(inHoldout.length).toBeGreaterThan(0);

    for (let round = 0; round < 3; round++) {
      for (const u of [...inBatch.slice(0, 3), ...inHoldout.slice(0, 3)]) {
        const r = await h.gql<RecsAnswer>(RECS, { u });
        const list = r.body.data!.recommendations;
        const expected = inBatch.includes(u) ? 'batch' : 'holdout';
        expect(list.experiment).toEqual({ experimentId: id, variant: expected, measured: true });
        expect(parseRecommendationId(list.recommendationId)).toEqual({
          experimentId: Number(id),
          variantKey: expected,
        });
        if (expected === 'holdout') expect(list.items).toEqual([]);
        else expect(list.items).toHaveLength(5);
      }
    }
    // Rounds 2 and 3 were answered from the response cache, still per variant, and still fresh ids.
    expect(h.gateway.services.responseCache.stats.hits).toBeGreaterThanOrEqual(6);

    // Every one of the 18 lists is an exposure, cache hits included, written in batches.
    const counted = await waitFor('exposures flushed', async () => {
      const { rows } = await ctx.db.pool.query<{ variant: string; n: string; s: string }>(
        'SELECT variant, count(*) AS n, sum(exposures) AS s FROM experiment_subjects WHERE experiment_id = $1 GROUP BY variant ORDER BY variant',
        [id],
      );
      const total = rows.reduce((t, r) => t + Number(r.s), 0);
      return total >= 18 ? rows : null;
    });
    expect(counted.map((r) => [r.variant, Number(r.n), Number(r.s)])).toEqual([
      ['batch', 3, 9],
      ['holdout', 3, 9],
    ]);

    // A click on a batch list, with its recommendationId, is attributed to the batch variant.
    const u = inBatch[0]!;
    const shown = (await h.gql<RecsAnswer>(RECS, { u })).body.data!.recommendations;
    const ev = await h.gql(
      `mutation($e: [EventInput!]!) { recordEvents(events: $e) { accepted } }`,
      {
        e: [
          {
            userId: u,
            productId: shown.items[0]!.product.id,
            eventType: 'click',
            recommendationId: shown.recommendationId,
          },
        ],
      },
      ingest,
    );
    expect(ev.body.data).toEqual({ recordEvents: { accepted: 1 } });

    const results = await h.gql<{
      experiment: {
        results: {
          variants: { key: string; customers: number; clicks: number; exposures: number }[];
          summary: string;
          csv: string;
        };
        history: { action: string }[];
      };
    }>(
      `query($id: ID!) { experiment(id: $id) { history { action } results { variants { key customers clicks exposures } summary csv } } }`,
      { id },
      admin,
    );
    const r = results.body.data!.experiment;
    expect(r.history.map((x) => x.action)).toEqual(['create', 'start']);
    expect(r.results.variants.find((v) => v.key === 'batch')).toMatchObject({ customers: 3, clicks: 1 });
    expect(r.results.summary).toMatch(/not enough data yet/);
    expect(r.results.csv.split('\n')[0]).toMatch(/^experiment_id,variant,is_control/);

    const csv = await h.get(`/experiments/${id}/results.csv`, admin);
    expect(csv.status).toBe(200);
    expect(csv.text).toContain('CLICK_THROUGH_RATE');
    expect((await h.get(`/experiments/${id}/results.csv`)).status).toBe(401);

    // Stopping brings the default back at once, and no cached variant answer is served after it.
    const stopped = await h.gql<{ stopExperiment: Payload }>(MOVE('stopExperiment'), { id }, admin);
    expect(stopped.body.data?.stopExperiment.experiment?.status).toBe('STOPPED');
    const after = await h.gql<RecsAnswer>(RECS, { u: inHoldout[0]! });
    expect(after.body.data?.recommendations.experiment).toBeNull();
    expect(after.body.data?.recommendations.items).toHaveLength(5);
  });
  it('the REST endpoints serve the variant too, with it in recommendation_id', async () => {
    const created = await h.gql<{ createExperiment: Payload }>(CREATE, { input: input('rest', ['REST']) }, admin);
    const id = created.body.data!.createExperiment.experiment!.id;
    await h.gql(MOVE('startExperiment'), { id }, admin);
    const users = Array.from({ length: 20 }, (_, i) => `r${i}`);
    const holdout = users.find((u) => bucketOf(Number(id), u) >= 5000)!;
    const batch = users.find((u) => bucketOf(Number(id), u) < 5000)!;
    const get = async (u: string) =>
      JSON.parse((await h.get(`/api/v1/personalize/recommendations/${u}?limit=3`)).text) as {
        recommendations: unknown[];
        recommendation_id: string;
        experiment: { experiment_id: number; variant: string; measured: boolean } | null;
      };
    const held = await get(holdout);
    expect(held.recommendations).toEqual([]);
    expect(held.experiment).toEqual({ experiment_id: Number(id), variant: 'holdout', measured: true });
    expect(parseRecommendationId(held.recommendation_id)?.variantKey).toBe('holdout');
    const served = await get(batch);
    expect(served.recommendations).toHaveLength(3);
    expect(served.experiment?.variant).toBe('batch');
    // GraphQL's recommendations is not a surface of this experiment.
    const gql = await h.gql<RecsAnswer>(RECS, { u: holdout });
    expect(gql.body.data?.recommendations.experiment).toBeNull();
  });
});
