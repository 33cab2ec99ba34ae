// The scheduler queue receives the cron firings; each runs its entry of SCHEDULES, which only
// fans work out (a pipeline run, an order sync, a pre-warm, an alert check). The process that
// consumes it also runs the stuck-run sweep on a timer: a timer in the process, not a job in
// Redis, so a Redis restart that loses every job cannot lose the sweep that detects it.
import { UnrecoverableError } from 'bullmq';
import { createOutboxDrain } from '../aws/events-forwarder';
import {
  registerSchedules,
  scheduleNamed,
  SCHEDULE_NAMES,
  SCHEDULES,
  type ScheduleContext,
} from '../pipeline/schedules';
import type { RunStore } from '../pipeline/run-store';
import { sweepStuckRuns } from '../pipeline/stuck-run-sweep';
import type { Queues } from '../queues/queues';
import { QUEUE } from '../queues/registry';
import type { HandlerSet } from './handler-table';

/**
 * One sweep: fail stuck runs, forward the events still in the outbox (when forwarding to
 * Personalize is configured), and put back job schedulers a Redis restart took away.
 */
async function sweep(
  ctx: ScheduleContext,
  deps: { queues: Queues; runs: RunStore; drainOutbox: ReturnType<typeof createOutboxDrain> },
): Promise<void> {
  await sweepStuckRuns({
    db: ctx.db,
    runs: deps.runs,
    queues: deps.queues,
    logger: ctx.logger,
    graceMs: ctx.config.pipeline.stuckGraceMs,
  });
  if (deps.drainOutbox) {
    const sent = await deps.drainOutbox();
    if (sent.forwarded || sent.quarantined) ctx.logger.info(sent, 'events outbox drained');
  }
  if (!ctx.config.schedules.enabled) return;
  const registered = await deps.queues.get(QUEUE.scheduler).getJobSchedulersCount();
  if (registered < SCHEDULES.length) {
    ctx.logger.warn(
      { registered, expected: SCHEDULES.length },
      'job schedulers missing (Redis lost them); re-registering',
    );
    await registerSchedules(deps.queues, ctx.db, ctx.config);
  }
}

export function schedulerHandlers(ctx: ScheduleContext, deps: { queues: Queues; runs: RunStore }): HandlerSet {
  const drainOutbox = createOutboxDrain(ctx.config, ctx.db, ctx.logger);
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let inFlight: Promise<void> | undefined;
  const schedule = () => {
    timer = setTimeout(() => {
      inFlight = tick();
    }, ctx.config.pipeline.sweepIntervalMs);
  };
  const tick = async () => {
    try {
      await sweep(ctx, { ...deps, drainOutbox });
    } catch (err) {
      // PostgreSQL or Redis is down right now: the next tick tries again.
      ctx.logger.error({ err: (err as Error).message }, 'stuck-run sweep failed; retrying on the next tick');
    }
    if (!stopped) schedule();
  };
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
        if (ctx.config.schedules.enabled) await registerSchedules(deps.queues, ctx.db, ctx.config);
        schedule();
      },
      // A sweep in progress finishes before the process closes its connections.
      afterClose: async () => {
        stopped = true;
        clearTimeout(timer);
        await inFlight;
      },
    },
  };
}
