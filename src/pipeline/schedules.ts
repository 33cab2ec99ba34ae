// Cron schedules (UTC) as BullMQ job schedulers on the 'scheduler' queue. Registration is an
// upsert keyed by name, so restarts never duplicate a scheduler; overrides made through
// setSchedule live in the schedules table and win over the configured defaults.
import type { Config } from '../config/config';
import type { Database } from '../db/database';
import type { Queues } from '../queues/queues';
import type { SchedulerJobData } from '../queues/registry';

export const SCHEDULE_NAMES = ['pipeline', 'sync', 'prewarm', 'alerts'] as const;
export type ScheduleName = (typeof SCHEDULE_NAMES)[number];

const JOBS: Record<ScheduleName, SchedulerJobData> = {
  pipeline: { kind: 'pipeline', mode: 'FULL' },
  sync: { kind: 'sync' },
  prewarm: { kind: 'prewarm' },
  alerts: { kind: 'alerts' },
};

export function isScheduleName(name: string): name is ScheduleName {
  return (SCHEDULE_NAMES as readonly string[]).includes(name);
}

export function defaultCron(config: Config, name: ScheduleName): string {
  return config.schedules[name];
}

export async function upsertSchedule(queues: Queues, name: ScheduleName, cron: string): Promise<void> {
  await queues.get('scheduler').upsertJobScheduler(
    name,
    { pattern: cron, tz: 'UTC' },
    { name: `scheduled-${name}`, data: JOBS[name], opts: { removeOnComplete: 100, removeOnFail: 500 } },
  );
}

/** Registers every schedule; safe to call at every start-up. */
export async function registerSchedules(queues: Queues, db: Database, config: Config): Promise<void> {
  const overrides = new Map((await db.prisma.schedule.findMany()).map((s) => [s.name, s]));
  for (const name of SCHEDULE_NAMES) {
    const override = overrides.get(name);
    if (override && !override.enabled) {
      await queues.get('scheduler').removeJobScheduler(name);
      continue;
    }
    await upsertSchedule(queues, name, override?.cron ?? defaultCron(config, name));
  }
}
