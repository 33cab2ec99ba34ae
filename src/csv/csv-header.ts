// Column positions from a CSV header, so readers accept the columns in any order.
import { CsvHeaderError } from './csv-header-error';

/** Positions of `names` in the header (-1 when absent); names are compared trimmed. */
export function headerPositions<K extends string>(
  header: string[],
  names: readonly K[],
  opts: { ignoreCase?: boolean } = {},
): Record<K, number> {
  const norm = (s: string): string => (opts.ignoreCase ? s.trim().toUpperCase() : s.trim());
  const found = header.map(norm);
  const out = {} as Record<K, number>;
  for (const k of names) out[k] = found.indexOf(norm(k));
  return out;
}

/** Maps the header's column names to indexes; throws a clear error listing what is missing. */
export function indexHeader<K extends string>(
  header: string[],
  required: readonly K[],
  optional: readonly K[],
  file: string,
): Record<K, number> {
  const index = headerPositions(header, [...required, ...optional]);
  const missing = required.filter((r) => index[r] < 0);
  if (missing.length) {
    throw new CsvHeaderError(
      `${file}: missing required column(s) ${missing.join(', ')}; the header is "${header.map((h) => h.trim()).join(',')}" ` +
        `and must contain ${required.join(', ')}`,
    );
  }
  return index;
}
