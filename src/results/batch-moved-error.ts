import { RecsError } from '../errors/recs-error';
import type { Batch } from './batch';

/**
 * A read of batch data saw another cache batch than the one the request is pinned to (a load
 * committed in between). The data is not stored under the pinned version's hot key; the request
 * starts over at the batch it saw, so no answer mixes two batches or carries the wrong label.
 */
export class BatchMovedError extends RecsError {
  readonly code = 'BATCH_MOVED';
  /** Reading again at the batch that was seen answers it. */
  readonly permanent = false;

  constructor(
    readonly expected: number,
    readonly observed: Batch,
  ) {
    super(`cache batch moved from ${expected} to ${observed.version} during the request`);
    this.name = 'BatchMovedError';
  }
}
