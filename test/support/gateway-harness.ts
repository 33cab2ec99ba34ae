// Starts a gateway on a random port over a test context, and posts GraphQL to it. The pipeline is
// the real QueuePipelineService on the test's own queue prefix (no worker runs its jobs here).
import type { Redis } from 'ioredis';
import { createGateway, type GatewayHandle } from '../../src/app/create-gateway';
import type { GatewayDeps } from '../../src/gateway/gateway-deps';
import { createLogger } from '../../src/infra/logger';
import { createRedis } from '../../src/infra/redis';
import { QueuePipelineService } from '../../src/pipeline/queue-pipeline-service';
import { Queues } from '../../src/queues/queues';
import type { TestContext } from './test-context';

export interface GqlResult<T = Record<string, unknown>> {
  status: number;
  body: { data?: T | null; errors?: { message: string; extensions?: { code?: string } & Record<string, unknown> }[] };
  headers: Headers;
}

export interface Harness {
  gateway: GatewayHandle;
  url: string;
  pipeline: QueuePipelineService;
  gql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    key?: string,
  ): Promise<GqlResult<T>>;
  get(path: string, key?: string): Promise<{ status: number; text: string }>;
  close(): Promise<void>;
}

export async function startGateway(ctx: TestContext, overrides: Partial<GatewayDeps> = {}): Promise<Harness> {
  const queueRedis: Redis = createRedis(ctx.config, 'producer');
  const queues = new Queues(ctx.config, queueRedis);
  const pipeline = new QueuePipelineService({ config: ctx.config, db: ctx.db, queues });
  const logger = createLogger(ctx.config);
  const redis = overrides.redis === undefined ? createRedis(ctx.config, 'request') : overrides.redis;
  const gateway = await createGateway({
    config: ctx.config,
    logger,
    db: ctx.db,
    pipeline,
    redis,
    queues: queues.all(),
    queueConnection: queueRedis,
    ...overrides,
  });
  const { url } = await gateway.listen(0, '127.0.0.1');
  const auth = (key?: string): Record<string, string> => (key ? { authorization: `Bearer ${key}` } : {});
  return {
    gateway,
    url,
    pipeline,
    async gql(query, variables, key) {
      const res = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...auth(key) },
        body: JSON.stringify({ query, variables }),
      });
      return { status: res.status, body: (await res.json()) as GqlResult['body'], headers: res.headers } as never;
    },
    async get(path, key) {
      const res = await fetch(`${url}${path}`, { headers: auth(key) });
      return { status: res.status, text: await res.text() };
    },
    async close() {
      await gateway.close();
      await queues.close();
      queueRedis.disconnect();
      redis?.disconnect();
    },
  };
}
