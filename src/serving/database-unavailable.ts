// Tells "PostgreSQL cannot be reached" apart from every other database error, so a request that
// needed PostgreSQL while it was down answers SERVICE_UNAVAILABLE (retry later), not an internal
// error (a bug). Bad SQL, constraint violations and the like stay internal errors.

/** Network failures reaching the server (Node system error codes). */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);

/** SQLSTATEs of a server that is going away, starting, or full (class 08 is matched separately). */
// 57014 and 55P03: the request pool's statement_timeout and lock_timeout (a hung or locked server).
const SERVER_CODES = new Set(['57P01', '57P02', '57P03', '53300', '57014', '55P03']);

/** pg's own messages for a lost connection, a closed pool and a connect timeout. */
const PG_MESSAGES = [
  'Connection terminated',
  'Cannot use a pool after calling end on the pool',
  'timeout exceeded when trying to connect',
  'Connection terminated due to connection timeout',
  // pg's query_timeout: the server never answered.
  'Query read timeout',
  'Client has encountered a connection error and is not queryable',
];

interface ErrorLike {
  message?: unknown;
  code?: unknown;
  errors?: unknown;
  cause?: unknown;
}

// Duck-typed, not `instanceof Error`: errors raised by Node's sockets may come from another realm
// (vm contexts, test sandboxes), where instanceof is false.
export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (typeof err !== 'object' || err === null || depth > 3) return false;
  const { message, code, errors, cause } = err as ErrorLike;
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || SERVER_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code)))
    return true;
  if (typeof message === 'string' && PG_MESSAGES.some((m) => message.includes(m))) return true;
  // Node reports a refused multi-address connect as an AggregateError of per-address errors.
  if (Array.isArray(errors) && errors.some((e: unknown) => isDatabaseUnavailable(e, depth + 1))) return true;
  return isDatabaseUnavailable(cause, depth + 1);
}
