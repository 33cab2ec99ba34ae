// The stuck-run sweep: an active run whose current stage has no live job in BullMQ (the job was
// lost in a Redis restart, failed after its worker died too often, or was never queued) would
// otherwise stay "active" for ever and refuse every later start. The sweep fails such a run with
// the reason and a pipeline_failed alert, so the next run can start. It runs on a timer in the
// process that consumes the scheduler queue (src/workers/scheduler-handler.ts).
import type { Database } from '../db/database';
import type { Logger } from '../infra/logger';
import type { Queues } from '../queues/queues';
import { runKeyOf, type StageName } from '../queues/registry';
import type { PipelineRunView } from './pipeline-service';
import { failRun } from './run-failure';
import type { RunStore } from './run-store';
import { currentStage } from './stage-chain';

/** BullMQ states in which a job will still run (or is running). */
const LIVE_STATES = new Set(['waiting', 'active', 'delayed', 'prioritized', 'waiting-children']);

export interface SweepDeps {
  db: Database;
  runs: RunStore;
  queues: Pick<Queues, 'stageJob'>;
  logger: Logger;
  /** A run whose row changed more recently than this is left alone (it is between two writes). */
  graceMs: number;
}

export interface StuckRun {
  runId: number;
  stage: StageName;
  reason: string;
}

function reasonFor(job: { id: string; state: string | null; failedReason?: string }): string {
  if (job.state === null) return `no live job: ${job.id} is not in Redis (lost in a Redis restart, or never queued)`;
  if (job.state === 'failed') {
    const why = job.failedReason ?? 'no reason recorded';
    return /stalled more than allowable limit/.test(why)
      ? `job ${job.id} failed: its worker died mid-stage too many times (${why})`
      : `job ${job.id} failed: ${why}`;
  }
  return `no live job: ${job.id} is ${job.state} but the stage never finished`;
}

async function judge(deps: SweepDeps, run: PipelineRunView): Promise<StuckRun | 'finished' | null> {
  const stage = currentStage(run);
  // Every stage is done: the runner stopped between the last stage and closing the run.
  if (!stage) return 'finished';
  const job = await deps.queues.stageJob(stage, runKeyOf(run), run.stages[stage]?.pollAttempt);
  if (job.state !== null && LIVE_STATES.has(job.state)) return null;
  return { runId: run.id, stage, reason: reasonFor(job) };
}

/** Fails every active run that has been quiet for the grace period and has no live job. */
export async function sweepStuckRuns(deps: SweepDeps, now = new Date()): Promise<StuckRun[]> {
  const failed: StuckRun[] = [];
  for (const run of await deps.runs.listActive()) {
    if (now.getTime() - run.updatedAt.getTime() < deps.graceMs) continue;
    const verdict = await judge(deps, run);
    if (!verdict) continue;
    // A runner may have moved the run on while we looked: judge only an unchanged row.
    const fresh = await deps.runs.get(run.id);
    if (fresh?.updatedAt.getTime() !== run.updatedAt.getTime()) continue;
    if (verdict === 'finished') {
      await deps.runs.setStatus(run.id, 'succeeded');
      deps.logger.warn({ runId: run.id }, 'stuck-run sweep: every stage had finished; run closed as succeeded');
      continue;
    }
    await deps.runs.patchStage(run.id, verdict.stage, { status: 'failed', error: verdict.reason });
    if (await failRun(deps, run.id, verdict.stage, verdict.reason)) {
      deps.logger.error(verdict, 'stuck-run sweep: run failed');
      failed.push(verdict);
    }
  }
  return failed;
}
