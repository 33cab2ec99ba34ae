// `recs serve`: the gateway process (GraphQL, /health, /ready, /metrics, /admin/queues).
import type { Command } from 'commander';
import type { Ranker } from '../../engine/ranker';
import { createGateway } from '../../gateway/create-gateway';
import type { GatewayDeps } from '../../gateway/gateway-deps';
import { Shutdown } from '../../infra/shutdown';
import type { PipelineService } from '../../pipeline/pipeline-service';
import type { AppContext } from '../app-context';
import { loadConfigOrExit } from '../app-context';
import { createDatabase } from '../../db/database';
import { createLogger } from '../../infra/logger';

/** How `recs serve` obtains the pipeline and the ranker; main.ts passes the real ones. */
export interface ServeHooks {
  createPipeline(app: AppContext): PipelineService;
  createRanker?(app: AppContext): Promise<Ranker | null>;
  /** Extra routers (e.g. Shopify webhooks). */
  routers?(app: AppContext): GatewayDeps['routers'];
}

export function registerServe(program: Command, hooks: ServeHooks): void {
  program
    .command('serve')
    .description('start the GraphQL gateway (HOST/PORT from the environment)')
    .option('--port <port>', 'override PORT', (v) => Number(v))
    .action(async (opts: { port?: number }) => {
      const config = loadConfigOrExit();
      const logger = createLogger(config, 'gateway');
      const db = createDatabase(config);
      const app: AppContext = { config, logger, db };
      const gateway = await createGateway({
        config,
        logger,
        db,
        pipeline: hooks.createPipeline(app),
        ranker: (await hooks.createRanker?.(app)) ?? null,
        routers: hooks.routers?.(app),
      });
      const { url } = await gateway.listen(opts.port ?? config.http.port, config.http.host);
      process.stdout.write(`gateway listening on ${url}/graphql\n`);
      const shutdown = new Shutdown(logger, config.worker.shutdownTimeoutMs)
        .add('gateway', () => gateway.close())
        .add('database', () => db.close());
      shutdown.listen();
    });
}

/**
 * Stand-in until the lead's PipelineService is wired in main.ts: reads return nothing and
 * every write explains that the pipeline is not available in this process.
 */
export function pipelineNotWired(): PipelineService {
  const refuse = async (): Promise<never> => {
    throw new Error('the pipeline service is not wired into `recs serve` yet');
  };
  return {
    startRun: refuse,
    cancelRun: refuse,
    setSchedule: refuse,
    getRun: async () => null,
    listRuns: async () => [],
    listSchedules: async () => [],
  };
}
