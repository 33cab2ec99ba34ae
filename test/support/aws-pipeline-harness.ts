// The whole product with ENGINE=aws in one process: a migrated test schema with a seeded store,
// s3rver as S3, the fake Personalize (set up as `recs aws setup --apply` would), the services
// built around an AWS engine that talks to the fake, in-process workers on every queue, and the
// gateway once a run has loaded the cache. The mocked client only exists in this process, so the
// workers cannot be child processes here.
import { AwsPersonalizeEngine } from '../../src/aws/aws-personalize-engine';
import { setupPersonalize } from '../../src/aws/personalize-setup';
import { buildServices, type Services } from '../../src/app/services';
import { startGateway } from '../../src/app/start-gateway';
import type { GatewayHandle } from '../../src/app/create-gateway';
import type { PipelineRunView } from '../../src/pipeline/pipeline-service';
import { QUEUE_NAMES } from '../../src/queues/registry';
import { createObjectStore } from '../../src/storage/create-object-store';
import { startWorkers, type WorkerProcess } from '../../src/workers/worker-process';
import { awsTestSettings, FAST_RETRY } from './aws-engine-harness';
import { FakePersonalize, type FakeOptions } from './fake-personalize';
import { startLocalS3, type LocalS3 } from './s3-server';
import { seedSyntheticStore } from './seed-store';
import { createTestContext, type TestContext } from './test-context';

export interface GqlReply<T> {
  data?: T;
  errors?: { message: string }[];
}

export interface AwsPipeline {
  t: TestContext;
  s3: LocalS3;
  fake: FakePersonalize;
  services: Services;
  workers: WorkerProcess;
  /** Product and customer ids of the seeded store, sorted. */
  products: string[];
  customers: string[];
  /** Starts the gateway (once) and posts one GraphQL request to it (with an API key when given). */
  gql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    key?: string,
  ): Promise<GqlReply<T>>;
  close(): Promise<void>;
}

export async function startAwsPipeline(
  fakeOpts: (ids: { products: string[]; customers: string[] }) => FakeOptions,
  env: Record<string, string> = {},
): Promise<AwsPipeline> {
  const s3 = await startLocalS3();
  const t = await createTestContext({
    ...awsTestSettings(s3.bucket),
    // Re-checks every 50 ms: the fake moves one status per Describe call.
    PERSONALIZE_POLL_SECONDS: '0.05',
    LOG_LEVEL: 'silent',
    ...env,
  });
  await seedSyntheticStore(t.db, { customers: 120, products: 30, interactions: 1_500 });
  const ids = async (sql: string) => (await t.db.pool.query<{ id: string }>(sql)).rows.map((r) => r.id);
  const products = await ids('SELECT id FROM products ORDER BY id');
  const customers = await ids('SELECT id FROM customers ORDER BY id');

  const config = t.config;
  const fake = new FakePersonalize({
    store: createObjectStore(config),
    storeUriPrefix: `s3://${s3.bucket}/recs/`,
    ...fakeOpts({ products, customers }),
  });
  await setupPersonalize(
    { client: fake.client, datasetGroup: 'shop', retry: FAST_RETRY, sleep: () => Promise.resolve() },
    true,
  );
  fake.mock.resetHistory();

  const services = buildServices(config, {
    engine: ({ db }) => new AwsPersonalizeEngine({ config, db, personalize: fake.client, retry: FAST_RETRY }),
  });
  const workers = await startWorkers(services, { queues: [...QUEUE_NAMES], concurrency: 1 });
  let gateway: GatewayHandle | undefined;
  let url = '';
  return {
    t,
    s3,
    fake,
    services,
    workers,
    products,
    customers,
    async gql(query, variables, key) {
      if (!gateway) {
        gateway = await startGateway(services);
        url = (await gateway.listen(0, '127.0.0.1')).url;
      }
      const res = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      return (await res.json()) as never;
    },
    async close() {
      await gateway?.close();
      await workers.close();
      await services.close();
      await t.close();
      await s3.close();
    },
  };
}

export async function waitForRun(services: Services, runId: number, timeoutMs = 120_000): Promise<PipelineRunView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await services.pipeline.getRun(runId);
    if (run && ['succeeded', 'failed', 'cancelled'].includes(run.status)) return run;
    if (Date.now() > deadline)
      throw new Error(`run ${runId} still ${run?.status} after ${timeoutMs} ms: ${JSON.stringify(run?.stages)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
