// A small in-memory PipelineService for gateway tests only; the real one lives in src/pipeline.
import {
  RunAlreadyActiveError,
  type PipelineRunView,
  type PipelineService,
  type StartRunOptions,
} from '../../src/pipeline/pipeline-service';

export class InMemoryPipelineService implements PipelineService {
  readonly runs: PipelineRunView[] = [];
  readonly schedules = new Map<string, string>([['pipeline', '0 2 1,15 * *']]);

  async startRun(opts: StartRunOptions = {}): Promise<PipelineRunView> {
    const active = this.runs.find((r) => r.status === 'queued' || r.status === 'running');
    if (active) throw new RunAlreadyActiveError(active.id);
    const run: PipelineRunView = {
      id: this.runs.length + 1,
      mode: opts.mode ?? 'FULL',
      status: 'queued',
      trigger: opts.trigger ?? 'manual',
      engine: 'local',
      recipes: opts.recipes ?? ['popularity-count'],
      stages: opts.syncFirst ? { 'sync-orders': { status: 'pending' } } : { 'sync-orders': { status: 'skipped' } },
      error: null,
      createdAt: new Date(),
      startedAt: null,
      finishedAt: null,
    };
    this.runs.push(run);
    return run;
  }

  async cancelRun(id: number): Promise<PipelineRunView> {
    const run = this.runs.find((r) => r.id === id);
    if (!run) throw new Error(`no run ${id}`);
    run.status = 'cancelled';
    run.finishedAt = new Date();
    return run;
  }

  async getRun(id: number): Promise<PipelineRunView | null> {
    return this.runs.find((r) => r.id === id) ?? null;
  }

  async listRuns(opts: { first: number; afterId?: number }): Promise<PipelineRunView[]> {
    return [...this.runs]
      .sort((a, b) => b.id - a.id)
      .filter((r) => opts.afterId === undefined || r.id < opts.afterId)
      .slice(0, opts.first);
  }

  async setSchedule(name: string, cron: string): Promise<{ name: string; cron: string }> {
    this.schedules.set(name, cron);
    return { name, cron };
  }

  async listSchedules() {
    return [...this.schedules].map(([name, cron]) => ({ name, cron, enabled: true, next: null }));
  }
}
