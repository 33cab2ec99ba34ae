// The scheduler queue receives the cron firings; each runs its entry of SCHEDULES, which only
// fans work out (a pipeline run, an order sync, a pre-warm, an alert check).
import { UnrecoverableError } from 'bullmq';
import { registerSchedules, scheduleNamed, SCHEDULE_NAMES, type ScheduleContext } from '../pipeline/schedules';
import type { Queues } from '../queues/queues';
import { QUEUE } from '../queues/registry';
import type { HandlerSet } from './handler-table';

export function schedulerHandlers(ctx: ScheduleContext, queues: Queues): HandlerSet {
  return {
    [QUEUE.scheduler]: {
      async process(job) {
        const schedule = scheduleNamed(job.data.kind);
        // A firing of a schedule this version no longer has: retrying cannot make it known.
        if (!schedule)
          throw new UnrecoverableError(`no schedule named "${job.data.kind}"; known: ${SCHEDULE_NAMES.join(', ')}`);
        return schedule.run(ctx);
      },
      options: { concurrency: 1 },
      beforeStart: async () => {
        if (ctx.config.schedules.enabled) await registerSchedules(queues, ctx.db, ctx.config);
      },
    },
  };
}
