// Issue 6's end-to-end test: the pipeline with ENGINE=aws (Personalize mocked with
// aws-sdk-client-mock, S3 served by s3rver), then the result served through the GraphQL API.
import { RECIPES } from '../../src/engine/training-engine';
import type { StageName } from '../../src/queues/registry';
import { startAwsPipeline, waitForRun, type AwsPipeline } from '../support/aws-pipeline-harness';

interface ListData {
  items: { product: { id: string }; rank: number; source: string }[];
  source: string;
}
const LIST = 'items { product { id } rank source } source';

/** The fake's deterministic answers, made of the seeded store's real ids. */
function pick<T>(from: T[], key: string, n: number, step: number): T[] {
  let h = 0;
  for (const c of key) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  const out: T[] = [];
  for (let k = 0; out.length < n && k < from.length * 2; k++) {
    const v = from[(h + k * step) % from.length]!;
    if (!out.includes(v)) out.push(v);
  }
  return out;
}
const forUser = (products: string[], userId: string) => pick(products, `u:${userId}`, 6, 7);
const similarTo = (products: string[], itemId: string) =>
  pick(
    products.filter((p) => p !== itemId),
    `i:${itemId}`,
    5,
    3,
  );

describe('the pipeline with ENGINE=aws, served through the API', () => {
  let p: AwsPipeline;
  let failedUser = '';
  const polls: { stage: StageName; attempt: number; delayMs?: number }[] = [];

  beforeAll(async () => {
    p = await startAwsPipeline(({ products, customers }) => {
      failedUser = customers[customers.length - 1]!;
      return {
        respond: (recipe, input) => {
          const userId = input.userId as string | undefined;
          const itemId = input.itemId as string | undefined;
          if (recipe === 'item-affinity') return { recommendedUsers: pick(customers, `s:${itemId}`, 4, 5) };
          if (recipe === 'similar-items') {
            const items = similarTo(products, itemId!);
            return { recommendedItems: items, scores: items.map((_, i) => 0.9 - i * 0.1) };
          }
          const items = input.itemList ? [...(input.itemList as string[])].reverse() : forUser(products, userId!);
          return { recommendedItems: items, scores: items.map((_, i) => 0.8 - i * 0.01) };
        },
        failLine: (recipe, input) => recipe === 'user-personalization' && input.userId === failedUser,
      };
    });
    const enqueue = p.services.queues.enqueueStage.bind(p.services.queues);
    jest.spyOn(p.services.queues, 'enqueueStage').mockImplementation(async (stage, data, opts) => {
      if (data.poll) polls.push({ stage, attempt: data.poll.attempt, delayMs: opts?.delayMs });
      return enqueue(stage, data, opts);
    });
  }, 60_000);

  afterAll(async () => {
    await p.close();
  });

  let runId = 0;

  it('runs every stage on Personalize through delayed re-checks', async () => {
    const started = await p.services.pipeline.startRun({ recipes: [...RECIPES] });
    runId = started.id;
    const run = await waitForRun(p.services, runId);
    expect(run.error).toBeNull();
    expect(run.status).toBe('succeeded');
    expect(run.engine).toBe('aws');
    // No worker slept on AWS: each long stage answered `waiting` and came back as a delayed job.
    const polled = new Set(polls.map((x) => x.stage));
    expect([...polled].sort()).toEqual(['batch-infer', 'export-datasets', 'train']);
    expect(polls.every((x) => x.delayMs === 50 && x.attempt >= 1)).toBe(true);
    expect(p.fake.byKind('dataset-import-job')).toHaveLength(3);
    expect(p.fake.byKind('solution-version')).toHaveLength(RECIPES.length);
    expect(p.fake.byKind('batch-inference-job').length + p.fake.byKind('batch-segment-job').length).toBe(
      RECIPES.length,
    );
  });

  it('records each Personalize job once, in one naming scheme, and one model version per recipe with its params and metrics', async () => {
    const { rows: all } = await p.t.db.pool.query<{
      job_name: string;
      job_arn: string | null;
      recipe_name: string;
      status: string;
      failure_reason: string | null;
    }>(
      `SELECT job_name, job_arn, recipe_name, status, failure_reason FROM batch_job_metadata WHERE run_id = $1 ORDER BY job_name`,
      [runId],
    );
    // Every import, solution version and batch job, each exactly once, with ARN and status.
    expect(all.length).toBe(3 + RECIPES.length * 2);
    for (const j of all) {
      expect(j.job_name.startsWith(`shop-r${runId}-`)).toBe(true);
      expect(j.status).toBe('ACTIVE');
      expect(j.job_arn).toMatch(/^arn:aws:personalize:/);
    }
    const batch = all.filter((j) => j.job_name.includes('-batch-'));
    expect(batch.map((j) => j.recipe_name).sort()).toEqual([...RECIPES].sort());
    for (const j of batch)
      expect(j.job_arn).toMatch(/^arn:aws:personalize:us-east-1:123456789012:batch-(inference|segment)-job\//);
    expect(batch.find((j) => j.recipe_name === 'user-personalization')!.failure_reason).toMatch(/^1 failed lines/);
    const { rows: models } = await p.t.db.pool.query<{
      recipe: string;
      engine: string;
      params: Record<string, unknown>;
      metrics: Record<string, number> | null;
    }>('SELECT recipe, engine, params, metrics FROM model_versions WHERE run_id = $1 ORDER BY recipe', [runId]);
    expect(models.map((m) => m.recipe)).toEqual([...RECIPES].sort());
    for (const m of models) {
      expect(m.engine).toBe('aws');
      expect(m.params).toMatchObject({
        solutionVersionArn: expect.stringMatching(/^arn:aws:personalize:/) as unknown,
        trainingMode: 'FULL',
      });
      expect(m.metrics).toMatchObject({ coverage: 0.41, precision_at_10: 0.05 });
    }
  });

  it('skips and counts a batch output line that carries an error', async () => {
    const run = (await p.services.pipeline.getRun(runId))!;
    expect(run.stages['batch-infer']!.counts).toMatchObject({ failedLines: 1 });
    expect(run.stages['load-results']!.counts).toMatchObject({ failedLines: 1 });
    const { rows } = await p.t.db.pool.query('SELECT 1 FROM offline_user_recommendations WHERE user_id = $1', [
      failedUser,
    ]);
    expect(rows).toHaveLength(0);
    const { rows: counts } = await p.t.db.pool.query<
      Record<'users' | 'similar' | 'affinity' | 'segments' | 'popular', number>
    >(
      `SELECT (SELECT count(*) FROM offline_user_recommendations)::int AS users,
              (SELECT count(*) FROM offline_similar_items)::int AS similar,
              (SELECT count(*) FROM offline_item_affinity)::int AS affinity,
              (SELECT count(*) FROM offline_item_segments)::int AS segments,
              (SELECT count(*) FROM offline_popular_items)::int AS popular`,
    );
    expect(counts[0]).toEqual({
      users: p.customers.length - 1,
      similar: p.products.length,
      affinity: expect.any(Number) as unknown,
      segments: p.products.length,
      popular: 1,
    });
  });

  it("derives each customer's item affinity from the item-affinity segments", async () => {
    // The segments answer "which users for this item"; offline_item_affinity is the inverse.
    const segmentItems = (customer: string) =>
      p.products.filter((item) => pick(p.customers, `s:${item}`, 4, 5).includes(customer));
    const customer = p.customers.find((c) => segmentItems(c).length > 0)!;
    const { rows } = await p.t.db.pool.query<{ item_affinities: { product_id: string; score: number }[] }>(
      'SELECT item_affinities FROM offline_item_affinity WHERE user_id = $1',
      [customer],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.item_affinities.map((e) => e.product_id).sort()).toEqual(segmentItems(customer).sort());
    const { rows: total } = await p.t.db.pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM offline_item_affinity',
    );
    expect(total[0]!.n).toBe(p.customers.filter((c) => segmentItems(c).length > 0).length);
    const served = await p.gql<{ itemAffinity: ListData }>(
      `query($u: ID!) { itemAffinity(userId: $u, limit: 20) { ${LIST} } }`,
      { u: customer },
    );
    expect(served.errors).toBeUndefined();
    expect(served.data!.itemAffinity.source).toBe('ITEM_AFFINITY');
    // Its own entries first; the gateway fills the rest of the limit with popular items.
    const own = served.data!.itemAffinity.items.filter((i) => i.source === 'ITEM_AFFINITY');
    expect(own.map((i) => i.product.id).sort()).toEqual(segmentItems(customer).sort());
    expect(own.map((i) => i.rank)).toEqual(own.map((_, k) => k + 1));
  });

  it("serves Personalize's answers for a customer and a product through GraphQL", async () => {
    const customer = p.customers[0]!;
    const product = p.products[0]!;
    const recs = await p.gql<{ recommendations: ListData }>(
      `query($u: ID!) { recommendations(userId: $u, limit: 6) { ${LIST} } }`,
      { u: customer },
    );
    expect(recs.errors).toBeUndefined();
    expect(recs.data!.recommendations.source).toBe('PERSONALIZED');
    // The fake answers without Personalize's exclude-purchased filter; the loader applies the
    // customer's purchase history (EXCLUDE_PURCHASED), so what they bought is left out.
    const { rows: bought } = await p.t.db.pool.query<{ product_id: string }>(
      `SELECT product_id FROM order_items WHERE customer_id = $1 AND event_type = 'purchase'`,
      [customer],
    );
    const notBought = forUser(p.products, customer).filter((id) => !bought.some((b) => b.product_id === id));
    const items = recs.data!.recommendations.items;
    const personalized = items.filter((i) => i.source === 'PERSONALIZED');
    expect(personalized.map((i) => i.product.id)).toEqual(notBought);
    expect(items.slice(0, personalized.length)).toEqual(personalized);

    const similar = await p.gql<{ similarItems: ListData }>(
      `query($p: ID!) { similarItems(productId: $p, limit: 5) { ${LIST} } }`,
      { p: product },
    );
    expect(similar.errors).toBeUndefined();
    // similarItems names its cached source SIMILAR_ITEMS (schema enum), recommendations PERSONALIZED.
    expect(similar.data!.similarItems.source).toBe('SIMILAR_ITEMS');
    expect(similar.data!.similarItems.items.map((i) => i.product.id)).toEqual(similarTo(p.products, product));
  });
});

describe('the pipeline with ENGINE=aws when Personalize fails a solution version', () => {
  let p: AwsPipeline;

  beforeAll(async () => {
    p = await startAwsPipeline(() => ({
      failures: [{ kind: 'solution-version', reason: 'Insufficient data: at least 1000 interactions are required' }],
    }));
  }, 60_000);

  afterAll(async () => {
    await p.close();
  });

  it('fails the run at once with the failure reason and a pipeline_failed alert', async () => {
    const started = await p.services.pipeline.startRun({ recipes: ['user-personalization'] });
    const run = await waitForRun(p.services, started.id);
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/^train: /);
    expect(run.error).toContain('Insufficient data: at least 1000 interactions are required');
    // CREATE FAILED is permanent: one attempt, no retries, no second solution version.
    expect(run.stages.train).toMatchObject({ status: 'failed', attempts: 1 });
    expect(p.fake.byKind('solution-version')).toHaveLength(1);
    expect(run.stages['batch-infer']!.status).toBe('pending');
    const { rows: alerts } = await p.t.db.pool.query<{ kind: string; message: string }>(
      'SELECT kind, message FROM alerts WHERE run_id = $1 AND resolved_at IS NULL',
      [started.id],
    );
    expect(alerts).toEqual([
      expect.objectContaining({
        kind: 'pipeline_failed',
        message: expect.stringContaining('Insufficient data') as unknown,
      }) as unknown,
    ]);
    const { rows: jobs } = await p.t.db.pool.query<{ status: string; failure_reason: string }>(
      `SELECT status, failure_reason FROM batch_job_metadata WHERE job_name = $1`,
      [`shop-r${started.id}-train-user-personalization`],
    );
    expect(jobs).toEqual([
      { status: 'FAILED', failure_reason: expect.stringContaining('Insufficient data') as unknown },
    ]);
  });
});
