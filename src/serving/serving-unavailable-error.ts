/** Nothing could be served: the data is neither in the hot layer nor reachable in PostgreSQL. */
export class ServingUnavailableError extends Error {
  constructor(what: string, cause: unknown) {
    super(`${what} are unavailable: PostgreSQL cannot be reached and nothing is cached for this request`, { cause });
    this.name = 'ServingUnavailableError';
  }
}
