// `node bin/run-ts.js test/support/bad-batch-worker.ts`: a real worker process (every queue, the
// same handlers and shutdown as `recs worker`) whose engine writes a mostly failed batch output
// (bad-batch-engine.ts).
import { buildServices } from '../../src/app/services';
import { createEngine } from '../../src/app/create-engine';
import { loadConfig } from '../../src/config/config';
import { Shutdown } from '../../src/infra/shutdown';
import { QUEUE_NAMES } from '../../src/queues/registry';
import { startWorkers } from '../../src/workers/worker-process';
import { BadBatchEngine } from './bad-batch-engine';

async function main(): Promise<void> {
  const config = loadConfig();
  const services = buildServices(config, {
    name: 'bad-batch-worker',
    engine: (deps) => new BadBatchEngine(createEngine(config, deps)),
  });
  const proc = await startWorkers(services, { queues: [...QUEUE_NAMES], concurrency: 1 });
  process.stdout.write(`workers ready: ${proc.workers.map((w) => w.name).join(', ')}\n`);
  new Shutdown(services.logger, config.worker.shutdownTimeoutMs)
    .add('workers', () => proc.close())
    .add('services', () => services.close())
    .listen();
}

main().catch((err: unknown) => {
  process.stderr.write(`bad-batch worker failed to start: ${String(err)}\n`);
  process.exitCode = 1;
});
