// One subscriber's view of a run: the run at once, then again after each change RunChanges hears
// (and on a slow timer, in case a notification was lost), never the same state twice; done after
// the run has finished. A hand-written iterator, not an async generator: a generator waiting for
// the next change could not be ended by return() (it runs only at a yield), so an unsubscribed
// dashboard would hold its listener until the run changed again.
import type { PipelineRunView, RunStatus } from './pipeline-service';
import type { RunChanges } from './run-changes';

const FINISHED: ReadonlySet<RunStatus> = new Set(['succeeded', 'failed', 'cancelled']);

export interface RunProgressDeps {
  changes: RunChanges;
  read(id: number): Promise<PipelineRunView | null>;
  /** Re-read this often even without a notification. */
  safetyPollMs: number;
}

type Result = IteratorResult<PipelineRunView | null, undefined>;

export class RunProgressFeed implements AsyncIterableIterator<PipelineRunView | null, undefined> {
  private dirty = true;
  private done = false;
  private wake: (() => void) | null = null;
  private lastSeen: string | null = null;
  private readonly unsubscribe: () => void;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly runId: number,
    private readonly deps: RunProgressDeps,
  ) {
    this.unsubscribe = deps.changes.subscribe(runId, () => {
      this.poke();
    });
    this.timer = setInterval(() => {
      this.poke();
    }, deps.safetyPollMs);
    this.timer.unref();
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async next(): Promise<Result> {
    while (!this.done) {
      if (!this.dirty) await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = null;
      if (this.isDone()) break;
      this.dirty = false;
      const run = await this.deps.read(this.runId);
      if (this.isDone()) break;
      if (!run) {
        this.finish();
        return { done: false, value: null };
      }
      const seen = `${run.status}|${run.updatedAt.getTime()}|${JSON.stringify(run.stages)}`;
      if (seen === this.lastSeen) continue;
      this.lastSeen = seen;
      if (FINISHED.has(run.status)) this.finish();
      return { done: false, value: run };
    }
    return { done: true, value: undefined };
  }

  /** The subscriber went away (or the socket closed): stop listening now. */
  return(): Promise<Result> {
    this.finish();
    return Promise.resolve({ done: true, value: undefined });
  }

  /** A method, not the field: it is read after awaits, where TypeScript keeps its old value. */
  private isDone(): boolean {
    return this.done;
  }

  private poke(): void {
    this.dirty = true;
    this.wake?.();
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    this.unsubscribe();
    clearInterval(this.timer);
    this.wake?.();
  }
}
