// Turns "PostgreSQL cannot be reached" inside a resolver into ServingUnavailableError, which the
// gateway answers as SERVICE_UNAVAILABLE (retry later) instead of INTERNAL_SERVER_ERROR (a bug).
// It runs before graphql-js wraps the error, so the raw driver error is still there to inspect.
import { isDatabaseUnavailable } from '../serving/database-unavailable';
import { ServingUnavailableError } from '../serving/serving-unavailable-error';

type Resolver = (...args: never[]) => unknown;

const MESSAGE =
  'PostgreSQL is unavailable and nothing cached can answer this request; retry when /ready shows postgres up';

function translate(err: unknown): unknown {
  return isDatabaseUnavailable(err) ? new ServingUnavailableError(MESSAGE, err) : err;
}

/** Wraps every resolver of one type; synchronous results pass through untouched (no extra tick). */
export function guardUnavailable<T extends Record<string, Resolver | undefined>>(fields: T): T {
  const out: Record<string, Resolver> = {};
  for (const [name, fn] of Object.entries(fields)) {
    if (!fn) continue;
    out[name] = (...args: never[]) => {
      let result: unknown;
      try {
        result = fn(...args);
      } catch (err) {
        throw translate(err);
      }
      return result instanceof Promise
        ? result.catch((err: unknown) => {
            throw translate(err);
          })
        : result;
    };
  }
  return out as T;
}
