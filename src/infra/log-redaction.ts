// Secrets never reach the log, however deep they sit: a field whose name says it holds a
// credential is replaced by *** at any depth (pino's own `redact` matches fixed paths only), and a
// URL's password (postgresql://user:secret@host) is cut out of any string. Objects are copied only
// along the paths that hold a secret; the caller's objects are never changed.

const SECRET_KEY = /passw(or)?d|passphrase|secret|token|api[-_]?key|authorization|cookie|credential|private[-_]?key/i;
const URL_PASSWORD = /([a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*:)[^@/?#\s]+@/gi;
const CENSOR = '***';
const MAX_DEPTH = 8;

function redactString(s: string): string {
  return s.includes('://') ? s.replace(URL_PASSWORD, `$1${CENSOR}@`) : s;
}

function redactValue(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return redactString(value);
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH || seen.has(value)) return value;
  if (value instanceof Date || Buffer.isBuffer(value)) return value;
  seen.add(value);
  if (Array.isArray(value)) {
    const items: unknown[] = value;
    const out = items.map((item) => redactValue(item, depth + 1, seen));
    return out.some((v, i) => v !== items[i]) ? out : value;
  }
  let copy: Record<string, unknown> | null = null;
  const source = value as Record<string, unknown>;
  // Errors keep their class (pino's err serializer reads message and stack, which are own properties).
  const fresh = (): Record<string, unknown> => {
    const c = Object.create(Object.getPrototypeOf(value) as object | null) as Record<string, unknown>;
    for (const k of Object.getOwnPropertyNames(source)) c[k] = source[k];
    return c;
  };
  for (const key of Object.keys(source)) {
    const item = source[key];
    const out = SECRET_KEY.test(key) && item != null && item !== '' ? CENSOR : redactValue(item, depth + 1, seen);
    if (out !== item) (copy ??= fresh())[key] = out;
  }
  if (value instanceof Error) {
    const message = redactString(value.message);
    if (message !== value.message) (copy ??= fresh()).message = message;
  }
  return copy ?? value;
}

/** The log record with every secret censored (the same object when it holds none). */
export function redactSecrets<T>(record: T): T {
  return redactValue(record, 0, new WeakSet()) as T;
}
