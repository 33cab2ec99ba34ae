/**
 * A read of batch data saw another cache batch than the version the request is pinned to (a load
 * committed in between). The data is not stored under the pinned version's hot key; the request
 * starts over at the version it saw, so no answer mixes two batches or carries the wrong label.
 */
export class BatchMovedError extends Error {
  constructor(
    readonly expected: number,
    readonly observed: number,
  ) {
    super(`cache batch moved from ${expected} to ${observed} during the request`);
    this.name = 'BatchMovedError';
  }
}
