// What the gateway, the CLI and the scheduler may ask of the pipeline. The implementation lives
// beside this file; callers depend on this interface only.
import type { StageName } from '../queues/registry';

export type RunMode = 'FULL' | 'UPDATE';
export type RunStatus = 'queued' | 'running' | 'waiting' | 'succeeded' | 'failed' | 'cancelled';
export type StageStatus = 'pending' | 'running' | 'waiting' | 'succeeded' | 'failed' | 'skipped' | 'cancelled';

export interface StageState {
  status: StageStatus;
  progress?: number;
  message?: string;
  startedAt?: string;
  finishedAt?: string;
  durationMs?: number;
  attempts?: number;
  counts?: Record<string, number>;
  error?: string;
  /** Set while the stage waits on outside work: the attempt number of its delayed re-check job. */
  pollAttempt?: number;
}

export interface PipelineRunView {
  id: number;
  mode: RunMode;
  status: RunStatus;
  trigger: string;
  engine: string;
  recipes: string[];
  stages: Partial<Record<StageName, StageState>>;
  /** The engine re-tunes its parameters in this run instead of reusing the last tuning. */
  retune: boolean;
  error: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  /** Last change of the run's row (stage patches, status changes). */
  updatedAt: Date;
  /** An admin forced the load: load-results skips the load guard. */
  forceLoad: boolean;
}

export interface ScheduleView {
  name: string;
  cron: string;
  enabled: boolean;
  next: Date | null;
}

export interface StartRunOptions {
  mode?: RunMode;
  recipes?: string[];
  syncFirst?: boolean;
  trigger?: string;
  /** Re-tune the engine's parameters (FULL runs only). */
  retune?: boolean;
  /** Load the batch even if the load guard would refuse it (too many failed lines, low coverage). */
  forceLoad?: boolean;
}

export interface PipelineService {
  /** Starts a run; throws RunAlreadyActiveError when one is queued or running. */
  startRun(opts?: StartRunOptions): Promise<PipelineRunView>;
  cancelRun(id: number): Promise<PipelineRunView>;
  getRun(id: number): Promise<PipelineRunView | null>;
  /** Newest first; `afterId` pages to older runs. */
  listRuns(opts: { first: number; afterId?: number }): Promise<PipelineRunView[]>;
  setSchedule(name: string, cron: string): Promise<{ name: string; cron: string }>;
  listSchedules(): Promise<ScheduleView[]>;
}

export class RunAlreadyActiveError extends Error {
  constructor(readonly activeRunId: number) {
    super(`pipeline run ${activeRunId} is still active; wait for it or cancel it first`);
    this.name = 'RunAlreadyActiveError';
  }
}

export class InvalidPipelineRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidPipelineRequestError';
  }
}

/** A recipe the engines do not know: the caller's mistake. */
export class UnknownRecipeError extends InvalidPipelineRequestError {
  constructor(readonly recipes: string[]) {
    super(`unknown recipe(s): ${recipes.join(', ')}`);
    this.name = 'UnknownRecipeError';
  }
}

/** Cancelling a run that has already finished: the caller's mistake. */
export class RunFinishedError extends InvalidPipelineRequestError {
  constructor(
    readonly runId: number,
    readonly status: RunStatus,
  ) {
    super(`pipeline run ${runId} has already ${status === 'cancelled' ? 'been cancelled' : status}`);
    this.name = 'RunFinishedError';
  }
}

export class RunNotFoundError extends Error {
  constructor(readonly runId: number) {
    super(`pipeline run ${runId} does not exist`);
    this.name = 'RunNotFoundError';
  }
}

/** A run was created but its first job could not be queued; the run is already failed. */
export class RunEnqueueError extends Error {
  constructor(
    readonly runId: number,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'RunEnqueueError';
  }
}
