// The one registry of queues: names, payload types and default job options. No other file
// spells a queue name; workers, producers and the dashboard all read them from here.
import type { DefaultJobOptions } from 'bullmq';

/** Pipeline stages, in the order a run goes through them. */
export const STAGES = [
  'sync-orders',
  'export-datasets',
  'train',
  'batch-infer',
  'load-results',
  'warm-cache',
  'evaluate',
] as const;
export type StageName = (typeof STAGES)[number];

/** Queues that are not pipeline stages. */
export const SERVICE_QUEUES = ['scheduler', 'webhooks', 'events-forward'] as const;
export type ServiceQueueName = (typeof SERVICE_QUEUES)[number];

export type QueueName = StageName | ServiceQueueName;
export const QUEUE_NAMES: readonly QueueName[] = [...STAGES, ...SERVICE_QUEUES];

/** Every stage job carries its run; `poll` is set on the delayed re-checks of long external work. */
export interface StageJobData {
  runId: number;
  /** Unique to this run's row (id + creation time): a database reset never meets old job ids. */
  runKey: string;
  poll?: { attempt: number; state: Record<string, unknown> };
}

export type SchedulerJobData =
  | { kind: 'pipeline'; mode: 'FULL' | 'UPDATE' }
  | { kind: 'sync' }
  | { kind: 'prewarm' }
  | { kind: 'alerts' };

export interface WebhookJobData {
  webhookId: string;
  topic: string;
  shop: string | null;
  payload: unknown;
}

export interface EventsForwardJobData {
  eventIds: string[];
}

export type JobDataFor<Q extends QueueName> = Q extends StageName
  ? StageJobData
  : Q extends 'scheduler'
    ? SchedulerJobData
    : Q extends 'webhooks'
      ? WebhookJobData
      : Q extends 'events-forward'
        ? EventsForwardJobData
        : never;

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

export function runKeyOf(run: { id: number; createdAt: Date }): string {
  return `${run.id}-${run.createdAt.getTime().toString(36)}`;
}

export function isStage(name: string): name is StageName {
  return (STAGES as readonly string[]).includes(name);
}

export function isQueueName(name: string): name is QueueName {
  return (QUEUE_NAMES as readonly string[]).includes(name);
}
