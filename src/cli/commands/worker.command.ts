import { type Command, InvalidArgumentError } from 'commander';
import { buildServices } from '../../app/services';
import { Shutdown } from '../../infra/shutdown';
import { isQueueName, QUEUE_NAMES, type QueueName } from '../../queues/registry';
import { startWorkers } from '../../workers/worker-process';
import { loadConfigOrExit } from './app-context';
import { positiveInt } from './arg-parsers';

function parseQueues(value: string): QueueName[] {
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = names.filter((n) => !isQueueName(n));
  if (bad.length)
    throw new InvalidArgumentError(`unknown queue(s) ${bad.join(', ')}; known: ${QUEUE_NAMES.join(', ')}`);
  return names as QueueName[];
}

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('run pipeline workers (all stage queues and the scheduler unless --queues is given)')
    .option('--queues <names>', `comma-separated queues: ${QUEUE_NAMES.join(', ')}`, parseQueues)
    .option('--concurrency <n>', 'jobs at once per queue (default WORKER_CONCURRENCY)', positiveInt)
    .action(async (opts: { queues?: QueueName[]; concurrency?: number }) => {
      const config = loadConfigOrExit();
      const services = buildServices(config, { name: 'worker' });
      // A worker that cannot start (a queue without a handler) releases its connections, so the
      // process exits with the error instead of hanging on open sockets.
      const proc = await startWorkers(services, {
        queues: opts.queues ?? [...QUEUE_NAMES],
        concurrency: opts.concurrency ?? config.worker.concurrency,
      }).catch(async (err: unknown) => {
        await services.close();
        throw err;
      });
      // A plain line (not a log record) that supervisors and the demo wait for.
      process.stdout.write(`workers ready: ${proc.workers.map((w) => w.name).join(', ')}\n`);
      const shutdown = new Shutdown(services.logger, config.worker.shutdownTimeoutMs)
        .add('workers', () => proc.close())
        .add('services', () => services.close());
      shutdown.listen();
    });
}
