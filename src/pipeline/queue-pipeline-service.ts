// PipelineService on BullMQ queues and the pipeline_runs table.
import type { Config } from '../config/config';
import { cronProblem } from '../config/cron-expression';
import type { Database } from '../db/database';
import type { Logger } from '../infra/logger';
import { isRecipe } from '../engine/training-engine';
import type { Queues } from '../queues/queues';
import { QUEUE, runKeyOf } from '../queues/registry';
import {
  InvalidPipelineRequestError,
  RunEnqueueError,
  RunFinishedError,
  RunNotFoundError,
  UnknownRecipeError,
  type PipelineRunView,
  type PipelineService,
  type StartRunOptions,
} from './pipeline-service';
import { failRun } from './run-failure';
import { RunStore } from './run-store';
import { isScheduleName, upsertSchedule, SCHEDULE_NAMES } from './schedules';
import { firstStage, planStages } from './stage-chain';

export class QueuePipelineService implements PipelineService {
  readonly runs: RunStore;

  constructor(
    private readonly deps: {
      config: Config;
      db: Database;
      queues: Queues;
      /** Told when Redis cannot list the schedulers (the stored schedules answer instead). */
      logger?: Logger;
    },
  ) {
    this.runs = new RunStore(deps.db);
  }

  async startRun(opts: StartRunOptions = {}): Promise<PipelineRunView> {
    const { config } = this.deps;
    const recipes = opts.recipes?.length ? opts.recipes : config.engine.recipes;
    const unknown = recipes.filter((r) => !isRecipe(r));
    if (unknown.length) throw new UnknownRecipeError(unknown);
    const syncFirst = opts.syncFirst ?? Boolean(config.shopify.shop && config.shopify.accessToken);
    if (opts.retune && opts.mode === 'UPDATE')
      throw new InvalidPipelineRequestError('retune needs a FULL run (an UPDATE run keeps the current parameters)');
    const run = await this.runs.create({
      mode: opts.mode ?? 'FULL',
      trigger: opts.trigger ?? 'manual',
      engine: config.engine.kind,
      recipes: [...new Set(recipes)],
      stages: planStages({ syncFirst }),
      retune: opts.retune ?? false,
      forceLoad: opts.forceLoad ?? false,
    });
    await this.enqueueFirst(run);
    return run;
  }

  /**
   * The run row is committed before its first job can be queued (PostgreSQL and Redis share no
   * transaction). If queueing fails or hangs (Redis down: the queue connection waits through
   * reconnects), the run is failed at once with the reason and an alert, so it never blocks the
   * next start; a job that still reaches Redis later finds its run failed and is ignored.
   */
  private async enqueueFirst(run: PipelineRunView): Promise<void> {
    const stage = firstStage(run);
    const timeoutMs = this.deps.config.pipeline.enqueueTimeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(new Error(`Redis did not take the job within ${timeoutMs} ms`));
      }, timeoutMs);
    });
    try {
      await Promise.race([this.deps.queues.enqueueStage(stage, { runId: run.id, runKey: runKeyOf(run) }), timeout]);
    } catch (err) {
      const reason = `could not queue its first job: ${(err as Error).message}`;
      await this.runs.patchStage(run.id, stage, { status: 'failed', error: reason });
      await failRun({ db: this.deps.db, runs: this.runs }, run.id, stage, reason);
      throw new RunEnqueueError(run.id, `pipeline run ${run.id} failed: ${reason}`, { cause: err });
    } finally {
      clearTimeout(timer);
    }
  }

  async cancelRun(id: number): Promise<PipelineRunView> {
    const run = await this.runs.get(id);
    if (!run) throw new RunNotFoundError(id);
    if (run.status === 'succeeded' || run.status === 'failed' || run.status === 'cancelled') {
      throw new RunFinishedError(id, run.status);
    }
    await this.runs.setStatus(id, 'cancelled', 'cancelled by request');
    for (const [stage, state] of Object.entries(run.stages)) {
      if (state.status === 'pending' || state.status === 'waiting') {
        await this.runs.patchStage(id, stage as never, { status: 'cancelled' });
      }
    }
    await this.deps.queues.removeRunJobs(id);
    const cancelled = await this.runs.get(id);
    if (!cancelled) throw new RunNotFoundError(id);
    return cancelled;
  }

  getRun(id: number): Promise<PipelineRunView | null> {
    return this.runs.get(id);
  }

  listRuns(opts: { first: number; afterId?: number }): Promise<PipelineRunView[]> {
    return this.runs.list(opts.first, opts.afterId);
  }

  async setSchedule(name: string, cron: string): Promise<{ name: string; cron: string }> {
    if (!isScheduleName(name)) {
      throw new InvalidPipelineRequestError(`unknown schedule "${name}"; one of ${SCHEDULE_NAMES.join(', ')}`);
    }
    const problem = cronProblem(cron);
    if (problem) throw new InvalidPipelineRequestError(`invalid cron "${cron}": ${problem}`);
    await upsertSchedule(this.deps.queues, name, cron);
    await this.deps.db.prisma.schedule.upsert({
      where: { name },
      create: { name, cron },
      update: { cron, enabled: true },
    });
    return { name, cron };
  }

  /**
   * BullMQ's job schedulers are the live truth (with the next fire time); when Redis cannot answer,
   * the schedules table (written beside every change) answers, with no next time.
   */
  async listSchedules(): Promise<{ name: string; cron: string; enabled: boolean; next: Date | null }[]> {
    let schedulers;
    try {
      schedulers = await this.deps.queues.get(QUEUE.scheduler).getJobSchedulers();
    } catch (err) {
      this.deps.logger?.warn({ err }, 'schedules: Redis unavailable, answering from PostgreSQL');
      const stored = new Map((await this.deps.db.prisma.schedule.findMany()).map((s) => [s.name, s]));
      return SCHEDULE_NAMES.map((name) => {
        const s = stored.get(name);
        return { name, cron: s?.cron ?? '', enabled: s?.enabled ?? false, next: null };
      });
    }
    const byName = new Map(schedulers.map((s) => [s.key, s]));
    return SCHEDULE_NAMES.map((name) => {
      const s = byName.get(name);
      return { name, cron: s?.pattern ?? '', enabled: Boolean(s), next: s?.next ? new Date(s.next) : null };
    });
  }
}
