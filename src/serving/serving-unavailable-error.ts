/** A dependency the request needs is down and nothing cached can stand in for it. */
export class ServingUnavailableError extends Error {
  constructor(message: string, cause?: unknown) {
    super(message, { cause });
    this.name = 'ServingUnavailableError';
  }
}
