// The one registry of queues: names, payload types and default job options. No other file
// spells a queue name: code says QUEUE.webhooks, and a job's payload type follows from its queue
// through QueuePayloads, for producers (Queues.add) and handlers (src/workers) alike.
import type { DefaultJobOptions } from 'bullmq';

export const QUEUE = {
  syncOrders: 'sync-orders',
  exportDatasets: 'export-datasets',
  train: 'train',
  batchInfer: 'batch-infer',
  loadResults: 'load-results',
  warmCache: 'warm-cache',
  evaluate: 'evaluate',
  scheduler: 'scheduler',
  webhooks: 'webhooks',
  eventsForward: 'events-forward',
} as const;

/** Every stage job carries its run; `poll` is set on the delayed re-checks of long external work. */
export interface StageJobData {
  runId: number;
  /** Unique to this run's row (id + creation time): a database reset never meets old job ids. */
  runKey: string;
  poll?: { attempt: number; state: Record<string, unknown> };
}

/** A firing of one of the schedules listed in src/pipeline/schedules.ts, by its name. */
export interface SchedulerJobData {
  kind: string;
}

/** A stored delivery's job: the body stays in PostgreSQL (webhook_deliveries), never in Redis. */
export interface WebhookJobData {
  webhookId: string;
  topic: string;
  shop: string | null;
  /** The attempt series (0, then +1 per replay or per Shopify retry of a failed delivery); part of the job id. */
  round: number;
}

export interface EventsForwardJobData {
  eventIds: string[];
}

/** What a job of each queue carries. A queue exists when it is here (and in QUEUE). */
export interface QueuePayloads {
  [QUEUE.syncOrders]: StageJobData;
  [QUEUE.exportDatasets]: StageJobData;
  [QUEUE.train]: StageJobData;
  [QUEUE.batchInfer]: StageJobData;
  [QUEUE.loadResults]: StageJobData;
  [QUEUE.warmCache]: StageJobData;
  [QUEUE.evaluate]: StageJobData;
  [QUEUE.scheduler]: SchedulerJobData;
  [QUEUE.webhooks]: WebhookJobData;
  [QUEUE.eventsForward]: EventsForwardJobData;
}

export type QueueName = keyof QueuePayloads;

/** Queues whose jobs are StageJobData: the only ones that may be pipeline stages. */
type StageQueueName = { [Q in QueueName]: QueuePayloads[Q] extends StageJobData ? Q : never }[QueueName];

/** Pipeline stages, in the order a run goes through them. */
export const STAGES = [
  QUEUE.syncOrders,
  QUEUE.exportDatasets,
  QUEUE.train,
  QUEUE.batchInfer,
  QUEUE.loadResults,
  QUEUE.warmCache,
  QUEUE.evaluate,
] as const satisfies readonly StageQueueName[];
export type StageName = (typeof STAGES)[number];

// Typed as QueueName[], so a name in QUEUE without a payload type does not compile.
export const QUEUE_NAMES: readonly QueueName[] = Object.values(QUEUE);

/** One value per stage (a typed Object.fromEntries over STAGES, which lists every StageName). */
export function perStage<T>(make: (stage: StageName) => T): Record<StageName, T> {
  return Object.fromEntries(STAGES.map((stage) => [stage, make(stage)])) as Record<StageName, T>;
}

export const DEFAULT_JOB_OPTIONS: DefaultJobOptions = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 2_000 },
  // Keep finished jobs long enough to inspect in the dashboard, bounded so Redis never fills up.
  removeOnComplete: { age: 7 * 24 * 3600, count: 1_000 },
  removeOnFail: { age: 30 * 24 * 3600, count: 5_000 },
};

/** Deterministic job ids: enqueueing the same stage of the same run twice is a no-op. */
export function stageJobId(stage: StageName, runKey: string, pollAttempt?: number): string {
  return pollAttempt === undefined ? `${stage}-run-${runKey}` : `${stage}-run-${runKey}-poll-${pollAttempt}`;
}

/** A delivery's job id per round, so enqueueing the same round twice is a no-op and a replay is a new job. */
export function webhookJobId(webhookId: string, round = 0): string {
  return round === 0 ? `shopify-webhook-${webhookId}` : `shopify-webhook-${webhookId}-r${round}`;
}

export function runKeyOf(run: { id: number; createdAt: Date }): string {
  return `${run.id}-${run.createdAt.getTime().toString(36)}`;
}

export function isQueueName(name: string): name is QueueName {
  return (QUEUE_NAMES as readonly string[]).includes(name);
}
