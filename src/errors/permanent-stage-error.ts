import { RecsError } from './recs-error';

/** Bad data or bad configuration found by a stage: retrying cannot help, so it fails at once. */
export class PermanentStageError extends RecsError {
  readonly code = 'STAGE_PERMANENT';
  readonly permanent = true;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PermanentStageError';
  }
}
