// Cron schedules (UTC), in one list: each names the config key of its default cron and what a
// firing does (it only fans work out: a run, a sync, a warm, a check). They run as BullMQ job
// schedulers on the scheduler queue. Registration is an upsert keyed by name, so restarts never
// duplicate a scheduler; overrides made through setSchedule live in the schedules table and win
// over the configured defaults. A new schedule is an entry in SCHEDULES plus its *_CRON variable
// in src/config/config.ts.
import type { Redis } from 'ioredis';
import { checkAlerts } from '../alerts/check-alerts';
import type { Config } from '../config/config';
import { isShopifySyncConfigured, sweepWebhookInbox, syncShopify } from '../connectors/shopify';
import type { Database } from '../db/database';
import type { Logger } from '../infra/logger';
import type { Queues } from '../queues/queues';
import { QUEUE, type SchedulerJobData } from '../queues/registry';
import { bullWebhookQueue } from '../queues/webhook-queue';
import { warmHotLayer } from '../results';
import { CatalogRepository } from '../serving/catalog-repository';
import { RunAlreadyActiveError, type PipelineService } from './pipeline-service';

/** What a firing may use: the worker process's services. */
export interface ScheduleContext {
  config: Config;
  db: Database;
  /** The queue connection: waits through reconnects. */
  redis: Redis;
  logger: Logger;
  pipeline: PipelineService;
  queues: Queues;
}

export interface Schedule {
  name: string;
  /** Which `config.schedules` entry holds its default cron. */
  cron: Exclude<keyof Config['schedules'], 'enabled'>;
  run(ctx: ScheduleContext): Promise<unknown>;
}

export const SCHEDULES = [
  { name: 'pipeline', cron: 'pipeline', run: (ctx) => startScheduledRun(ctx) },
  {
    name: 'sync',
    cron: 'sync',
    run: async (ctx) =>
      isShopifySyncConfigured(ctx.config) ? syncShopify(ctx) : { skipped: 'no store connector configured' },
  },
  // The same warm as the pipeline's warm-cache stage, on the current batch.
  {
    name: 'prewarm',
    cron: 'prewarm',
    run: (ctx) => warmHotLayer({ ...ctx, catalog: new CatalogRepository(ctx.db.pool) }),
  },
  { name: 'alerts', cron: 'alerts', run: (ctx) => checkAlerts(ctx.db) },
  // Stored webhook deliveries whose queue job went missing (Redis down or restarted) get it back.
  {
    name: 'webhook-sweep',
    cron: 'webhookSweep',
    run: (ctx) =>
      sweepWebhookInbox(
        { pool: ctx.db.pool, queue: bullWebhookQueue(ctx.queues.get(QUEUE.webhooks), ctx.config), logger: ctx.logger },
        { olderThanMs: ctx.config.shopify.webhooks.sweepAfterMs },
      ),
  },
  // Weekly by default: a FULL run that re-tunes the engine on the newest data (other FULL runs
  // reuse the last tuning while the data has not changed much).
  { name: 'retune', cron: 'retune', run: (ctx) => startScheduledRun(ctx, true) },
] as const satisfies readonly Schedule[];

export type ScheduleName = (typeof SCHEDULES)[number]['name'];
export const SCHEDULE_NAMES: readonly ScheduleName[] = SCHEDULES.map((s) => s.name);

async function startScheduledRun(ctx: ScheduleContext, retune = false): Promise<unknown> {
  try {
    const run = await ctx.pipeline.startRun({ mode: 'FULL', trigger: retune ? 'schedule-retune' : 'schedule', retune });
    return { runId: run.id };
  } catch (err) {
    // A scheduled run never queues behind a long one: it is skipped, visibly.
    if (err instanceof RunAlreadyActiveError) {
      ctx.logger.warn({ activeRunId: err.activeRunId }, 'scheduled pipeline run skipped: a run is active');
      return { skipped: err.message };
    }
    throw err;
  }
}

export function isScheduleName(name: string): name is ScheduleName {
  return (SCHEDULE_NAMES as readonly string[]).includes(name);
}

export function scheduleNamed(name: string): Schedule | undefined {
  return SCHEDULES.find((s) => s.name === name);
}

export async function upsertSchedule(queues: Queues, name: ScheduleName, cron: string): Promise<void> {
  const data: SchedulerJobData = { kind: name };
  await queues
    .get(QUEUE.scheduler)
    .upsertJobScheduler(
      name,
      { pattern: cron, tz: 'UTC' },
      { name: `scheduled-${name}`, data, opts: { removeOnComplete: 100, removeOnFail: 500 } },
    );
}

/** Registers every schedule; safe to call at every start-up. */
export async function registerSchedules(queues: Queues, db: Database, config: Config): Promise<void> {
  const overrides = new Map((await db.prisma.schedule.findMany()).map((s) => [s.name, s]));
  for (const { name, cron } of SCHEDULES) {
    const override = overrides.get(name);
    if (override && !override.enabled) {
      await queues.get(QUEUE.scheduler).removeJobScheduler(name);
      continue;
    }
    await upsertSchedule(queues, name, override?.cron ?? config.schedules[cron]);
  }
}
