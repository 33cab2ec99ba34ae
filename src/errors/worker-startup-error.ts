import { RecsError } from './recs-error';

export type WorkerStartupErrorCode = 'HANDLER_MISSING' | 'HANDLER_DUPLICATE';

/** A worker process cannot serve every queue exactly once: it refuses to start. */
export class WorkerStartupError extends RecsError {
  readonly permanent = true;

  constructor(
    readonly code: WorkerStartupErrorCode,
    readonly queues: readonly string[],
    message: string,
  ) {
    super(message);
    this.name = 'WorkerStartupError';
  }
}
