// One shutdown path for every process: each step runs in order, guarded, under one hard timeout.
import type { Logger } from './logger';

export interface ShutdownStep {
  name: string;
  run: () => Promise<unknown>;
}

export class Shutdown {
  private readonly steps: ShutdownStep[] = [];
  private running: Promise<void> | undefined;

  constructor(
    private readonly logger: Logger,
    private readonly timeoutMs: number,
  ) {}

  /** Steps run in the order they were added: add the request-facing ones first. */
  add(name: string, run: () => Promise<unknown>): this {
    this.steps.push({ name, run });
    return this;
  }

  /** True once a shutdown has begun: work that fails after this point was interrupted on purpose. */
  get started(): boolean {
    return this.running !== undefined;
  }

  /** Adds a step that runs before every step added so far. */
  prepend(name: string, run: () => Promise<unknown>): this {
    this.steps.unshift({ name, run });
    return this;
  }

  run(reason: string): Promise<void> {
    this.running ??= this.execute(reason);
    return this.running;
  }

  /**
   * SIGTERM and SIGINT start the shutdown. A clean shutdown sets the exit code and lets the
   * process end by itself (nothing left open); a failed or timed-out one, or a second signal,
   * exits at once: that is what the hard limit is for.
   */
  listen(): void {
    let signals = 0;
    const handler = (signal: NodeJS.Signals) => {
      signals += 1;
      if (signals > 1) process.exit(130);
      this.run(signal).then(
        () => {
          process.exitCode ??= 0;
        },
        () => process.exit(1),
      );
    };
    process.on('SIGTERM', handler);
    process.on('SIGINT', handler);
  }

  private async execute(reason: string): Promise<void> {
    this.logger.info({ reason }, 'shutting down');
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => {
        resolve('timeout');
      }, this.timeoutMs);
      timer.unref();
    });
    const all = (async () => {
      for (const step of this.steps) {
        try {
          await step.run();
        } catch (err) {
          this.logger.error({ err, step: step.name }, 'shutdown step failed');
        }
      }
    })();
    const outcome = await Promise.race([all.then(() => 'done' as const), deadline]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      this.logger.error({ timeoutMs: this.timeoutMs }, 'shutdown timed out');
      throw new Error(`shutdown timed out after ${this.timeoutMs} ms`);
    }
    this.logger.info('shutdown complete');
  }
}
