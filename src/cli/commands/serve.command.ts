// `recs serve`: the gateway process (GraphQL, /health, /ready, /metrics, /admin/queues, webhooks).
import type { Command } from 'commander';
import { buildServices } from '../../app/services';
import { startGateway } from '../../app/start-gateway';
import { Shutdown } from '../../infra/shutdown';
import { loadConfigOrExit } from './app-context';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('start the GraphQL gateway (HOST/PORT from the environment)')
    .option('--port <port>', 'override PORT', (v) => Number(v))
    .action(async (opts: { port?: number }) => {
      const config = loadConfigOrExit();
      const services = buildServices(config, { name: 'gateway', requestPath: true });
      const gateway = await startGateway(services);
      const { url } = await gateway.listen(opts.port ?? config.http.port, config.http.host);
      process.stdout.write(`gateway listening on ${url}/graphql\n`);
      new Shutdown(services.logger, config.worker.shutdownTimeoutMs)
        .add('gateway', () => gateway.close())
        .add('services', () => services.close())
        .listen();
    });
}
