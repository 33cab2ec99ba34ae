import { createApiKey } from '../../src/gateway/auth/api-keys';
import type { PipelineService } from '../../src/pipeline/pipeline-service';
import { createTestContext, type TestContext } from '../support/test-context';
import { startGateway, type Harness } from '../support/gateway-harness';

// A pipeline whose every read fails with an internal detail a client must not see in production
// (every method: the gateway's warm-up runs the overview, which reads runs and schedules at once).
const failingPipeline = new Proxy(
  {},
  { get: () => () => Promise.reject(new Error('relation "secret_internal_table" does not exist')) },
) as PipelineService;

const TOKEN = 'metrics-token-0123456789';

describe('production behaviour of `recs serve` (the default) and development mode', () => {
  let ctx: TestContext;
  let prod: Harness;
  let dev: Harness;
  let closed: Harness;
  let admin: string;

  beforeAll(async () => {
    ctx = await createTestContext({ METRICS_TOKEN: TOKEN });
    admin = (await createApiKey(ctx.db.pool, 'admin')).key;
    prod = await startGateway(ctx, { pipeline: failingPipeline });
    dev = await startGateway(ctx, { pipeline: failingPipeline, config: { ...ctx.config, devMode: true } });
    closed = await startGateway(ctx, {
      config: { ...ctx.config, api: { ...ctx.config.api, introspection: false } },
    });
  });
  afterAll(async () => {
    await Promise.all([prod.close(), dev.close(), closed.close()]);
    await ctx.close();
  });

  it('is production unless RECS_DEV_MODE is set', () => {
    expect(ctx.config.devMode).toBe(false);
  });

  it('answers an internal failure without its message or a stack trace in production', async () => {
    const r = await prod.gql(`{ pipelineRuns { edges { cursor } } }`, {}, admin);
    const err = r.body.errors![0]!;
    expect(err.extensions!.code).toBe('INTERNAL_SERVER_ERROR');
    expect(err.message).toBe('internal error; see the gateway log');
    expect(JSON.stringify(r.body)).not.toContain('secret_internal_table');
    expect(err.extensions!.stacktrace).toBeUndefined();
  });

  it('shows the message and stack trace in development mode', async () => {
    const r = await dev.gql(`{ pipelineRuns { edges { cursor } } }`, {}, admin);
    const err = r.body.errors![0]!;
    expect(err.message).toContain('secret_internal_table');
    expect(Array.isArray(err.extensions!.stacktrace)).toBe(true);
  });

  it('serves introspection by default and refuses it when GRAPHQL_INTROSPECTION=false', async () => {
    const open = await prod.gql(`{ __schema { queryType { name } } }`);
    expect(open.body.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
    const shut = await closed.gql(`{ __schema { queryType { name } } }`);
    expect(shut.body.errors![0]!.extensions!.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(shut.body.errors![0]!.message).toMatch(/introspection/i);
  });

  it('requires the METRICS_TOKEN on /metrics when one is set', async () => {
    const none = await fetch(`${prod.url}/metrics`);
    expect(none.status).toBe(401);
    const wrong = await fetch(`${prod.url}/metrics`, { headers: { authorization: 'Bearer wrong-token-0123456789' } });
    expect(wrong.status).toBe(401);
    const ok = await fetch(`${prod.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('recs_graphql_request_duration_seconds');
  });
});
