// The base of the project's own errors. Each subclass says, about itself, whether retrying can
// help (`permanent`) and which kind of failure it is (`code`, for logs, alerts and switches), so
// no central list has to know every error of every folder.
export abstract class RecsError extends Error {
  abstract readonly code: string;
  /** True when retrying cannot help (bad data, bad configuration, a refused request). */
  abstract readonly permanent: boolean;
}

/** Permanent failures fail a stage at once; anything else (a dropped connection) is retried. */
export function isPermanentError(err: unknown): boolean {
  return err instanceof RecsError && err.permanent;
}
