// A small, fast CSV reader for the three dataset files: streams lines with their 1-based line
// numbers and splits fields (RFC 4180 quotes on a slow path only when a line has a quote). Quoted
// fields spanning lines are not supported: the exports never write them.
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { RecsError } from '../../errors/recs-error';

export interface CsvLine {
  lineNumber: number;
  text: string;
}

/** Yields every non-empty line with its line number; strips a trailing \r and a UTF-8 BOM. */
export async function* readLines(stream: Readable): AsyncGenerator<CsvLine[]> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  let lineNumber = 0;
  let first = true;
  const flush = (text: string, out: CsvLine[]): void => {
    lineNumber += 1;
    let t = text.endsWith('\r') ? text.slice(0, -1) : text;
    if (first) {
      if (t.charCodeAt(0) === 0xfeff) t = t.slice(1);
      first = false;
    }
    if (t.length > 0) out.push({ lineNumber, text: t });
  };
  for await (const chunk of stream) {
    const text = rest + (typeof chunk === 'string' ? chunk : decoder.write(chunk as Buffer));
    const out: CsvLine[] = [];
    let start = 0;
    let nl = text.indexOf('\n', start);
    while (nl !== -1) {
      flush(text.slice(start, nl), out);
      start = nl + 1;
      nl = text.indexOf('\n', start);
    }
    rest = text.slice(start);
    if (out.length) yield out;
  }
  rest += decoder.end();
  if (rest.length) {
    const out: CsvLine[] = [];
    flush(rest, out);
    if (out.length) yield out;
  }
}

/** Splits one CSV line into fields; returns null when its quotes are unbalanced. */
export function splitCsvLine(line: string): string[] | null {
  if (line.indexOf('"') === -1) return line.split(',');
  const fields: string[] = [];
  let i = 0;
  const n = line.length;
  for (;;) {
    if (line[i] === '"') {
      let value = '';
      i += 1;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q === -1) return null;
        value += line.slice(i, q);
        if (line[q + 1] === '"') {
          value += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      fields.push(value);
      if (i === n) return fields;
      if (line[i] !== ',') return null;
      i += 1;
    } else {
      const c = line.indexOf(',', i);
      if (c === -1) {
        fields.push(line.slice(i));
        return fields;
      }
      fields.push(line.slice(i, c));
      i = c + 1;
    }
    if (i === n) {
      fields.push('');
      return fields;
    }
  }
}

/** Maps header names to column positions; throws naming the missing required columns. */
export function headerIndex(header: string[], required: string[], file: string): Map<string, number> {
  const index = new Map<string, number>();
  header.forEach((name, i) => index.set(name.trim().toUpperCase(), i));
  const missing = required.filter((r) => !index.has(r));
  if (missing.length) {
    throw new DatasetFormatError(`${file}: header lacks ${missing.join(', ')} (found: ${header.join(',')})`);
  }
  return index;
}

/** A dataset file that cannot be read as the expected CSV; re-reading it will not help. */
export class DatasetFormatError extends RecsError {
  readonly code = 'DATASET_FORMAT';
  readonly permanent = true;

  constructor(message: string) {
    super(message);
    this.name = 'DatasetFormatError';
  }
}
