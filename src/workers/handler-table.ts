// The handler table: for each queue of the registry, what its worker does with a job. Modules
// contribute handler sets (the stages, the scheduler, webhooks, events-forward); start-up merges
// them and refuses to boot unless every queue has exactly one handler, so a queue added to the
// registry without one, or claimed twice, fails loudly instead of never being worked.
import type { Job, WorkerOptions } from 'bullmq';
import { WorkerStartupError } from '../errors/worker-startup-error';
import { QUEUE_NAMES, type QueueName, type QueuePayloads } from '../queues/registry';

export interface QueueHandler<Q extends QueueName> {
  process(job: Job<QueuePayloads[Q]>): Promise<unknown>;
  /** Worker options beyond the connection and prefix the process supplies. */
  options?: Omit<WorkerOptions, 'connection' | 'prefix'>;
  /** Runs before the worker takes jobs (the scheduler registers its schedules here). */
  beforeStart?(): Promise<void>;
  /** Runs once the process's workers have closed (the scheduler stops its sweep timer here). */
  afterClose?(): Promise<void>;
}

export type HandlerTable = { [Q in QueueName]: QueueHandler<Q> };
/** The handlers one module contributes. */
export type HandlerSet = Partial<HandlerTable>;

function take<Q extends QueueName>(
  table: HandlerSet,
  set: Partial<Pick<HandlerTable, Q>>,
  queue: Q,
  duplicated: Set<QueueName>,
): void {
  const handler = set[queue];
  if (!handler) return;
  if (table[queue]) duplicated.add(queue);
  else table[queue] = handler;
}

function isComplete(table: HandlerSet): table is HandlerTable {
  return QUEUE_NAMES.every((q) => table[q] !== undefined);
}

/** Merges handler sets; throws WorkerStartupError when a queue has no handler or two. */
export function buildHandlerTable(sets: readonly HandlerSet[]): HandlerTable {
  const table: HandlerSet = {};
  const duplicated = new Set<QueueName>();
  for (const set of sets) {
    for (const queue of QUEUE_NAMES) take(table, set, queue, duplicated);
  }
  if (duplicated.size) {
    const queues = [...duplicated];
    throw new WorkerStartupError(
      'HANDLER_DUPLICATE',
      queues,
      `more than one handler for queue(s) ${queues.join(', ')}; each queue needs exactly one`,
    );
  }
  if (!isComplete(table)) {
    const queues = QUEUE_NAMES.filter((q) => table[q] === undefined);
    throw new WorkerStartupError(
      'HANDLER_MISSING',
      queues,
      `no handler for queue(s) ${queues.join(', ')}; each queue in src/queues/registry.ts needs exactly one`,
    );
  }
  return table;
}
