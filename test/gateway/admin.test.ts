import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { hotKey } from '../../src/results';
import { createApiKey } from '../../src/gateway/auth/api-keys';
import { createTestContext, type TestContext } from '../support/test-context';
import { startGateway, type Harness } from '../support/gateway-harness';
import { seedServing, type ServingFixture } from '../support/serving-fixtures';

describe('admin queries and mutations', () => {
  let ctx: TestContext;
  let h: Harness;
  let admin: string;
  let fx: ServingFixture;

  beforeAll(async () => {
    ctx = await createTestContext();
    fx = await seedServing(ctx.db);
    admin = (await createApiKey(ctx.db.pool, 'admin')).key;
    h = await startGateway(ctx);
  });
  afterAll(async () => {
    await h.close();
    await ctx.close();
  });

  describe('triggerRetrain, pipelineRun, pipelineRuns, cancelPipelineRun', () => {
    it('starts a run through the PipelineService and returns it', async () => {
      const r = await h.gql<{ triggerRetrain: { run: Record<string, unknown>; userErrors: unknown[] } }>(
        `mutation { triggerRetrain(input: { mode: UPDATE, recipes: ["similar-items"], syncFirst: true }) { run { id mode status trigger recipes createdAt stages { name status counts { name value } } } userErrors { code } } }`,
        {},
        admin,
      );
      expect(r.body.errors).toBeUndefined();
      expect(r.body.data!.triggerRetrain.userErrors).toEqual([]);
      const run = r.body.data!.triggerRetrain.run as {
        createdAt: string;
        id: string;
        mode: string;
        status: string;
        trigger: string;
        recipes: string[];
        stages: { name: string; status: string }[];
      };
      expect(run).toMatchObject({
        id: '1',
        mode: 'UPDATE',
        status: 'QUEUED',
        trigger: 'api',
        recipes: ['similar-items'],
      });
      expect(run.stages.map((s) => s.name)).toEqual([
        'sync-orders',
        'export-datasets',
        'train',
        'batch-infer',
        'load-results',
        'warm-cache',
        'evaluate',
      ]);
      expect(run.stages[0]!.status).toBe('pending');
      // DateTime: an ISO-8601 instant in UTC.
      expect(run.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(Math.abs(Date.parse(run.createdAt) - Date.now())).toBeLessThan(600_000);
    });

    it('refuses a second run while one is active (userError RUN_ALREADY_ACTIVE naming the run)', async () => {
      const r = await h.gql<{ triggerRetrain: { run: null; userErrors: { code: string; message: string }[] } }>(
        `mutation { triggerRetrain(input: {}) { run { id } userErrors { field message code } } }`,
        {},
        admin,
      );
      expect(r.body.errors).toBeUndefined();
      expect(r.body.data!.triggerRetrain.run).toBeNull();
      expect(r.body.data!.triggerRetrain.userErrors).toEqual([
        { field: null, code: 'RUN_ALREADY_ACTIVE', message: expect.stringContaining('pipeline run 1') as string },
      ]);
    });

    it('answers an unknown recipe as userError UNKNOWN_RECIPE on the recipes field, never INTERNAL_SERVER_ERROR', async () => {
      const r = await h.gql<{ triggerRetrain: { run: null; userErrors: unknown[] } }>(
        `mutation { triggerRetrain(input: { recipes: ["similar-items", "nonsense"] }) { run { id } userErrors { field message code } } }`,
        {},
        admin,
      );
      expect(r.body.errors).toBeUndefined();
      expect(r.body.data!.triggerRetrain).toEqual({
        run: null,
        userErrors: [{ field: ['input', 'recipes'], code: 'UNKNOWN_RECIPE', message: 'unknown recipe(s): nonsense' }],
      });
      const tooMany = await h.gql<{ triggerRetrain: { userErrors: { code: string }[] } }>(
        `mutation { triggerRetrain(input: { recipes: [] }) { userErrors { field code } } }`,
        {},
        admin,
      );
      expect(tooMany.body.data!.triggerRetrain.userErrors).toEqual([{ field: ['input', 'recipes'], code: 'INVALID' }]);
    });

    it('shows one run with its stages, timings and counts', async () => {
      // The real run store: a stage that started marks the run running; the start time is set back by SQL.
      await h.pipeline.runs.patchStage(1, 'export-datasets', {
        status: 'running',
        startedAt: new Date(Date.now() - 4_000).toISOString(),
      });
      await h.pipeline.runs.patchStage(1, 'export-datasets', {
        status: 'succeeded',
        finishedAt: new Date().toISOString(),
        durationMs: 4_000,
        counts: { interactions: 1200 },
      });
      await ctx.db.pool.query(`UPDATE pipeline_runs SET started_at = now() - interval '5 seconds' WHERE id = 1`);
      const r = await h.gql<{
        pipelineRun: {
          status: string;
          durationMs: number;
          stages: { name: string; durationMs: number | null; counts: { name: string; value: number }[] }[];
        };
      }>(`{ pipelineRun(id: "1") { status durationMs stages { name durationMs counts { name value } } } }`, {}, admin);
      const got = r.body.data!.pipelineRun;
      expect(got.status).toBe('RUNNING');
      expect(got.durationMs).toBeGreaterThanOrEqual(5_000);
      expect(got.stages[1]).toEqual({
        name: 'export-datasets',
        durationMs: 4_000,
        counts: [{ name: 'interactions', value: 1200 }],
      });
    });

    it('answers null for an unknown run id, BAD_USER_INPUT for a malformed one, userErrors for cancelling either', async () => {
      const unknown = await h.gql(`{ pipelineRun(id: "42") { id } }`, {}, admin);
      expect(unknown.body).toEqual({ data: { pipelineRun: null } });
      expect((await h.gql(`{ pipelineRun(id: "abc") { id } }`, {}, admin)).body.errors![0]!.extensions!.code).toBe(
        'BAD_USER_INPUT',
      );
      type Cancel = { cancelPipelineRun: { run: null; userErrors: { field: string[]; code: string }[] } };
      const CANCEL = `mutation($id: ID!) { cancelPipelineRun(id: $id) { run { id } userErrors { field code } } }`;
      expect((await h.gql<Cancel>(CANCEL, { id: '42' }, admin)).body.data!.cancelPipelineRun).toEqual({
        run: null,
        userErrors: [{ field: ['id'], code: 'NOT_FOUND' }],
      });
      expect((await h.gql<Cancel>(CANCEL, { id: 'abc' }, admin)).body.data!.cancelPipelineRun).toEqual({
        run: null,
        userErrors: [{ field: ['id'], code: 'INVALID' }],
      });
    });

    it('cancels a run, then answers cancelling it again as userError RUN_FINISHED', async () => {
      const CANCEL = `mutation { cancelPipelineRun(id: "1") { run { status finishedAt } userErrors { field message code } } }`;
      type Cancel = {
        cancelPipelineRun: { run: { status: string } | null; userErrors: { message: string; code: string }[] };
      };
      const r = await h.gql<Cancel>(CANCEL, {}, admin);
      expect(r.body.data!.cancelPipelineRun.run!.status).toBe('CANCELLED');
      expect(r.body.data!.cancelPipelineRun.userErrors).toEqual([]);
      const again = await h.gql<Cancel>(CANCEL, {}, admin);
      expect(again.body.errors).toBeUndefined();
      expect(again.body.data!.cancelPipelineRun).toEqual({
        run: null,
        userErrors: [{ field: ['id'], code: 'RUN_FINISHED', message: 'pipeline run 1 has already been cancelled' }],
      });
    });

    it('pages through runs newest first with cursors', async () => {
      for (let i = 0; i < 4; i++) {
        const run = await h.pipeline.startRun({});
        await h.pipeline.runs.setStatus(run.id, 'succeeded');
      }
      const page = async (after?: string) =>
        (
          await h.gql<{
            pipelineRuns: {
              edges: { cursor: string; node: { id: string } }[];
              pageInfo: {
                hasNextPage: boolean;
                hasPreviousPage: boolean;
                startCursor: string | null;
                endCursor: string | null;
              };
            };
          }>(
            `query($after: String) { pipelineRuns(first: 2, after: $after) { edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`,
            { after },
            admin,
          )
        ).body.data!.pipelineRuns;
      const first = await page();
      expect(first.edges.map((e) => e.node.id)).toEqual(['5', '4']);
      expect(first.pageInfo).toEqual({
        hasNextPage: true,
        hasPreviousPage: false,
        startCursor: first.edges[0]!.cursor,
        endCursor: first.edges[1]!.cursor,
      });
      const second = await page(first.pageInfo.endCursor!);
      expect(second.edges.map((e) => e.node.id)).toEqual(['3', '2']);
      expect(second.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
      const third = await page(second.pageInfo.endCursor!);
      expect(third.edges.map((e) => e.node.id)).toEqual(['1']);
      expect(third.pageInfo).toEqual({
        hasNextPage: false,
        hasPreviousPage: true,
        startCursor: third.edges[0]!.cursor,
        endCursor: third.edges[0]!.cursor,
      });
      const beyond = await page(third.pageInfo.endCursor!);
      expect(beyond.edges).toEqual([]);
      expect(beyond.pageInfo).toEqual({
        hasNextPage: false,
        hasPreviousPage: true,
        startCursor: null,
        endCursor: null,
      });
      const bad = await h.gql(`{ pipelineRuns(after: "garbage") { edges { cursor } } }`, {}, admin);
      expect(bad.body.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    });
  });

  describe('batchJobs', () => {
    it('pages newest first and filters by status and recipe', async () => {
      await ctx.db.pool.query(`INSERT INTO batch_job_metadata (job_name, recipe_name, status, run_id, started_at) VALUES
        ('j1', 'similar-items', 'ACTIVE', 1, now()), ('j2', 'user-personalization', 'FAILED', 1, now()), ('j3', 'similar-items', 'ACTIVE', 2, now())`);
      const q = `query($after: String, $status: BatchJobStatus, $recipe: String) { batchJobs(first: 1, after: $after, status: $status, recipe: $recipe) { edges { node { name status recipe runId } } pageInfo { hasNextPage endCursor } } }`;
      type Page = {
        batchJobs: { edges: { node: { name: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } };
      };
      const p1 = (await h.gql<Page>(q, { status: 'ACTIVE', recipe: 'similar-items' }, admin)).body.data!.batchJobs;
      expect(p1.edges.map((e) => e.node.name)).toEqual(['j3']);
      const p2 = (
        await h.gql<Page>(q, { status: 'ACTIVE', recipe: 'similar-items', after: p1.pageInfo.endCursor }, admin)
      ).body.data!.batchJobs;
      expect(p2.edges.map((e) => e.node.name)).toEqual(['j1']);
      expect(p2.pageInfo.hasNextPage).toBe(false);
      const failed = (await h.gql<Page>(q, { status: 'FAILED' }, admin)).body.data!.batchJobs;
      expect(failed.edges.map((e) => e.node.name)).toEqual(['j2']);
    });
  });

  describe('setSchedule', () => {
    it('sets a cron schedule and answers bad names and expressions as userErrors', async () => {
      type Set = {
        setSchedule: {
          schedule: { name: string; cron: string; enabled: boolean; next: string | null } | null;
          userErrors: { field: string[]; code: string }[];
        };
      };
      const SET = `mutation($name: String!, $cron: String!) { setSchedule(name: $name, cron: $cron) { schedule { name cron enabled next } userErrors { field code } } }`;
      const r = await h.gql<Set>(SET, { name: 'pipeline', cron: '0 2 * * 1' }, admin);
      expect(r.body.data!.setSchedule.schedule).toMatchObject({ name: 'pipeline', cron: '0 2 * * 1', enabled: true });
      expect(r.body.data!.setSchedule.userErrors).toEqual([]);
      const next = r.body.data!.setSchedule.schedule!.next!;
      expect(new Date(next).getUTCDay()).toBe(1);
      expect(new Date(next).toISOString()).toBe(next);
      const badName = await h.gql<Set>(SET, { name: 'nope', cron: '0 2 * * 1' }, admin);
      expect(badName.body.errors).toBeUndefined();
      expect(badName.body.data!.setSchedule).toEqual({
        schedule: null,
        userErrors: [{ field: ['name'], code: 'UNKNOWN_SCHEDULE' }],
      });
      const badCron = await h.gql<Set>(SET, { name: 'sync', cron: 'every day' }, admin);
      expect(badCron.body.data!.setSchedule).toEqual({
        schedule: null,
        userErrors: [{ field: ['cron'], code: 'INVALID_CRON' }],
      });
    });
  });

  describe('systemStatus', () => {
    it('reports coverage, freshness, counts, last run, alerts, schedules, engine and model versions', async () => {
      await ctx.db.pool.query(`INSERT INTO alerts (kind, message) VALUES ('low_coverage', 'coverage is 50%')`);
      const r = await h.gql<{ systemStatus: Record<string, unknown> }>(
        `{ systemStatus { coverage freshnessDays customersWithRecommendations orderingCustomers productsWithSimilarItems batchVersion
           lastRun { id } activeAlerts { kind message } schedules { name cron } engine redisAvailable
           modelVersions { id recipe engine metrics { name value } } } }`,
        {},
        admin,
      );
      expect(r.body.errors).toBeUndefined();
      const s = r.body.data!.systemStatus as Record<string, unknown> & {
        modelVersions: { recipe: string; metrics: unknown[] }[];
      };
      expect(s).toMatchObject({
        coverage: 100,
        customersWithRecommendations: 2,
        orderingCustomers: 2,
        productsWithSimilarItems: 1,
        batchVersion: fx.batchVersion,
        lastRun: { id: '5' },
        activeAlerts: [{ kind: 'low_coverage', message: 'coverage is 50%' }],
        engine: 'local',
        redisAvailable: true,
      });
      expect(s.freshnessDays).toBeLessThan(1);
      expect(s.modelVersions.map((m) => m.recipe).sort()).toEqual([
        'item-affinity',
        'popularity-count',
        'similar-items',
        'user-personalization',
      ]);
      expect(s.modelVersions[0]!.metrics).toEqual(expect.arrayContaining([{ name: 'precision_at_10', value: 0.12 }]));
    });
  });

  describe('invalidateCache', () => {
    it('drops the hot entries and cached responses of the current batch', async () => {
      await h.gql(`{ recommendations(userId: "c1", limit: 2) { source } }`);
      await new Promise((r) => setTimeout(r, 50));
      const redis = new Redis(ctx.config.redis.url);
      try {
        const key = hotKey(ctx.config.redis.prefix, fx.batchVersion, 'user', 'c1');
        expect(await redis.exists(key)).toBe(1);
        expect(await redis.ttl(key)).toBeGreaterThan(0);
        expect(h.gateway.services.responseCache.size).toBeGreaterThan(0);
        const r = await h.gql<{ invalidateCache: { removedKeys: number; userErrors: unknown[] } }>(
          `mutation { invalidateCache { removedKeys userErrors { code } } }`,
          {},
          admin,
        );
        expect(r.body.data!.invalidateCache.removedKeys).toBeGreaterThan(0);
        expect(r.body.data!.invalidateCache.userErrors).toEqual([]);
        expect(await redis.exists(key)).toBe(0);
        expect(h.gateway.services.responseCache.size).toBe(0);
      } finally {
        redis.disconnect();
      }
    });
  });

  describe('/health, /ready, /metrics', () => {
    it('says alive, ready, and exposes latency, cache, coverage, freshness, queue and alert metrics', async () => {
      expect((JSON.parse((await h.get('/health')).text) as { status: string }).status).toBe('ok');
      const ready = await h.get('/ready');
      expect(ready.status).toBe(200);
      expect(JSON.parse(ready.text)).toMatchObject({
        status: 'ready',
        checks: { postgres: { ok: true }, redis: { ok: true }, batch: { ok: true } },
      });
      const queue = new Queue('events-forward', {
        connection: { url: ctx.config.redis.url },
        prefix: ctx.config.redis.prefix,
      });
      await queue.add('forward', { eventIds: ['x'] });
      const metrics = (await h.get('/metrics')).text;
      await queue.close();
      for (const name of [
        'recs_graphql_request_duration_seconds_bucket',
        'recs_cache_hit_ratio{layer="hot"}',
        'recs_coverage_percent 100',
        'recs_freshness_days',
        'recs_active_alerts 1',
        'recs_queue_jobs{queue="events-forward",state="waiting"} 1',
      ]) {
        expect(metrics).toContain(name);
      }
      expect(metrics).not.toContain(admin);
    });
  });
});
