// Runs one stage of one run: marks it in pipeline_runs, calls the stage function, then either
// chains the next stage, schedules a delayed re-check (long external work), or fails the run.
// It knows nothing of BullMQ: the worker adapts a job to StageJob and an Enqueuer to queues.
import { runLayout, isRecipe } from '../engine/training-engine';
import { runKeyOf, type StageJobData, type StageName } from '../queues/registry';
import { resolveAlert } from '../alerts/alert-store';
import { failRun } from '../pipeline/run-failure';
import type { RunStore } from '../pipeline/run-store';
import { nextStage } from '../pipeline/stage-chain';
import { STAGE_FUNCTIONS } from './stage-functions';
import { PermanentStageError } from '../errors/permanent-stage-error';
import { isPermanentError } from '../errors/recs-error';
import type { StageDeps, StageOutcome } from './stage-types';

export interface StageJob {
  data: StageJobData;
  /** 1 on the first try. */
  attempt: number;
  maxAttempts: number;
  updateProgress(percent: number): Promise<void>;
}

export interface Enqueuer {
  /** Idempotent by job id: the same stage of the same run (and poll attempt) is enqueued once. */
  enqueueStage(stage: StageName, data: StageJobData, opts?: { delayMs?: number }): Promise<void>;
}

export interface StageRunnerDeps extends StageDeps {
  runs: RunStore;
  enqueuer: Enqueuer;
  /** Called once a run ends (alerts are evaluated after each run). */
  onRunFinished?: (runId: number) => Promise<void>;
}

export type StageRunResult = 'done' | 'skipped' | 'waiting' | 'ignored';

export async function runStage(deps: StageRunnerDeps, stage: StageName, job: StageJob): Promise<StageRunResult> {
  const { runs } = deps;
  const runId = job.data.runId;
  const run = await runs.get(runId);
  if (!run) throw new PermanentStageError(`pipeline run ${runId} does not exist`);
  // A job left in Redis from another incarnation of this run id (a reset database) is not ours.
  if (job.data.runKey !== runKeyOf(run)) return 'ignored';
  if (run.status === 'cancelled' || run.status === 'failed' || run.status === 'succeeded') return 'ignored';
  const state = run.stages[stage];
  if (!state) throw new PermanentStageError(`run ${runId} does not include stage ${stage}`);
  if (state.status === 'succeeded' || state.status === 'skipped') {
    // A redelivered job after a crash between "stage done" and "next enqueued": just chain on.
    await chain(deps, run.id, stage);
    return 'ignored';
  }

  const startedAt = state.startedAt ?? new Date().toISOString();
  await runs.patchStage(runId, stage, { status: 'running', startedAt, attempts: job.attempt, error: undefined });
  const progress = async (percent: number, message: string) => {
    const p = Math.max(0, Math.min(100, Math.round(percent)));
    await Promise.all([job.updateProgress(p), runs.patchStage(runId, stage, { progress: p, message })]);
  };
  const recipes = run.recipes.filter(isRecipe);

  let outcome: StageOutcome;
  try {
    outcome = await STAGE_FUNCTIONS[stage](deps, {
      run,
      recipes,
      layout: runLayout(runId),
      poll: job.data.poll,
      progress,
    });
  } catch (err) {
    const error = err as Error;
    const permanent = isPermanentError(err);
    const final = permanent || job.attempt >= job.maxAttempts;
    await runs.patchStage(runId, stage, { status: final ? 'failed' : 'running', error: error.message });
    if (final) await failRunOf(deps, runId, stage, error.message);
    // The worker turns a PermanentStageError into "do not retry".
    throw permanent && !(err instanceof PermanentStageError)
      ? new PermanentStageError(error.message, { cause: err })
      : err;
  }

  if (outcome.status === 'waiting') {
    const attempt = (job.data.poll?.attempt ?? 0) + 1;
    // The re-check's attempt is recorded before it is queued: the stuck-run sweep looks for that
    // job, so a crash in between shows as a lost job rather than a run waiting forever.
    await runs.patchStage(runId, stage, { status: 'waiting', message: outcome.message, pollAttempt: attempt });
    await runs.setStatus(runId, 'waiting');
    await deps.enqueuer.enqueueStage(
      stage,
      { runId, runKey: runKeyOf(run), poll: { attempt, state: outcome.state } },
      { delayMs: outcome.recheckAfterMs },
    );
    return 'waiting';
  }

  const finishedAt = new Date();
  await runs.patchStage(runId, stage, {
    status: outcome.status === 'done' ? 'succeeded' : 'skipped',
    pollAttempt: undefined,
    progress: 100,
    finishedAt: finishedAt.toISOString(),
    durationMs: finishedAt.getTime() - new Date(startedAt).getTime(),
    ...(outcome.status === 'done'
      ? { counts: outcome.counts, message: outcome.message ?? 'done' }
      : { message: outcome.reason }),
  });
  await chain(deps, runId, stage);
  return outcome.status;
}

async function chain(deps: StageRunnerDeps, runId: number, stage: StageName): Promise<void> {
  const run = await deps.runs.get(runId);
  if (!run || run.status === 'cancelled') return;
  const next = nextStage(run, stage);
  if (next) {
    await deps.runs.setStatus(runId, 'running');
    await deps.enqueuer.enqueueStage(next, { runId, runKey: runKeyOf(run) });
    return;
  }
  await deps.runs.setStatus(runId, 'succeeded');
  // A run that gets through clears the failure alert of an earlier one.
  await resolveAlert(deps.db, 'pipeline_failed');
  await deps.onRunFinished?.(runId);
}

async function failRunOf(deps: StageRunnerDeps, runId: number, stage: StageName, message: string): Promise<void> {
  await failRun(deps, runId, stage, message);
  await deps.onRunFinished?.(runId);
}
