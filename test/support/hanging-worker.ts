// `node bin/run-ts.js test/support/hanging-worker.ts`: a real worker process (every queue, the
// same handlers and shutdown as `recs worker`) whose engine hangs in train (hanging-engine.ts).
import { buildServices } from '../../src/app/services';
import { loadConfig } from '../../src/config/config';
import { Shutdown } from '../../src/infra/shutdown';
import { QUEUE_NAMES } from '../../src/queues/registry';
import { startWorkers } from '../../src/workers/worker-process';
import { HangingEngine } from './hanging-engine';

async function main(): Promise<void> {
  const config = loadConfig();
  const services = buildServices(config, { name: 'hanging-worker', engine: () => new HangingEngine() });
  const proc = await startWorkers(services, { queues: [...QUEUE_NAMES], concurrency: 1 });
  process.stdout.write(`workers ready: ${proc.workers.map((w) => w.name).join(', ')}\n`);
  new Shutdown(services.logger, config.worker.shutdownTimeoutMs)
    .add('workers', () => proc.close())
    .add('services', () => services.close())
    .listen();
}

main().catch((err: unknown) => {
  process.stderr.write(`hanging worker failed to start: ${String(err)}\n`);
  process.exitCode = 1;
});
