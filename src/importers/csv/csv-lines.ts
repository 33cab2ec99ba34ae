// Reads a CSV file (plain or gzip, detected by magic bytes) as numbered physical lines, each split
// into fields. Written by hand rather than with csv-parse because csv-parse's error recovery
// (skip_records_with_error) silently swallows the lines after a bad quote; here a malformed line
// is reported with its own number and raw text, and every other line still comes through.
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { CsvHeaderError } from './csv-header-error';

export interface CsvLine {
  /** 1-based number of the record's first physical line in the file (the header is line 1). */
  line: number;
  /** The record's text as in the file, without the final line break. */
  raw: string;
  /** The fields, unquoted; undefined when the line could not be split. */
  fields?: string[];
  /** Why the line could not be split. */
  error?: string;
}

export interface CsvSource {
  lines: AsyncGenerator<CsvLine>;
  /** Size of the file on disk (compressed bytes for gzip); the unit of bytesRead. */
  totalBytes: number;
  bytesRead(): number;
  gzip: boolean;
}

/** A quoted field may span this many physical lines before the record is rejected as unterminated. */
const MAX_LINES_PER_RECORD = 20;

export async function isGzipFile(file: string): Promise<boolean> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(2);
    const { bytesRead } = await fh.read(buf, 0, 2, 0);
    return bytesRead === 2 && buf[0] === 0x1f && buf[1] === 0x8b;
  } finally {
    await fh.close();
  }
}

export async function openCsv(file: string): Promise<CsvSource> {
  const [gzip, info] = await Promise.all([isGzipFile(file), stat(file)]);
  let read = 0;
  // The streams are made on first iteration: a 'data' listener starts the flow at once, and
  // data flowing before anyone reads the lines would be lost.
  async function* lines(): AsyncGenerator<CsvLine> {
    const raw = createReadStream(file, { highWaterMark: 1 << 20 });
    raw.on('data', (chunk: Buffer | string) => {
      read += chunk.length;
    });
    let text: Readable = raw;
    if (gzip) {
      const gunzip = createGunzip();
      raw.on('error', (err) => gunzip.destroy(err));
      text = raw.pipe(gunzip);
    }
    try {
      yield* splitCsvLines(text);
    } finally {
      raw.destroy();
    }
  }
  return { lines: lines(), totalBytes: info.size, bytesRead: () => read, gzip };
}

async function* splitCsvLines(input: Readable): AsyncGenerator<CsvLine> {
  const rl = createInterface({ input, crlfDelay: Infinity });
  let physical = 0;
  let pending: { line: number; parts: string[] } | undefined;
  try {
    for await (const text of rl) {
      physical++;
      if (pending) {
        pending.parts.push(text);
        const raw = pending.parts.join('\n');
        const parsed = splitCsvRecord(raw);
        if (parsed !== 'open') {
          yield { line: pending.line, raw, ...parsed };
          pending = undefined;
        } else if (pending.parts.length >= MAX_LINES_PER_RECORD) {
          // Give up on this record, but re-read its later lines on their own so nothing is lost.
          const [first, ...rest] = pending.parts;
          yield { line: pending.line, raw: first ?? '', error: 'unterminated quoted field' };
          let n = pending.line;
          pending = undefined;
          for (const part of rest) {
            n++;
            const p = splitCsvRecord(part);
            yield p === 'open' ? { line: n, raw: part, error: 'unterminated quoted field' } : { line: n, raw: part, ...p };
          }
        }
        continue;
      }
      if (text === '') continue; // blank lines (a trailing newline) are not records
      const parsed = splitCsvRecord(text);
      if (parsed === 'open') pending = { line: physical, parts: [text] };
      else yield { line: physical, raw: text, ...parsed };
    }
    if (pending) yield { line: pending.line, raw: pending.parts.join('\n'), error: 'unterminated quoted field' };
  } finally {
    rl.close();
  }
}

/** Splits one CSV record (RFC 4180 quoting); 'open' means a quoted field runs past the end. */
export function splitCsvRecord(text: string): { fields: string[] } | { error: string } | 'open' {
  if (!text.includes('"')) return { fields: text.split(',') };
  const fields: string[] = [];
  let i = 0;
  const n = text.length;
  for (;;) {
    if (text[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) return 'open';
        value += text.slice(i, q);
        if (text[q + 1] === '"') {
          value += '"';
          i = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      fields.push(value);
      if (i === n) return { fields };
      if (text[i] !== ',') return { error: `unexpected character after a closing quote at column ${i + 1}` };
      i++;
    } else {
      const c = text.indexOf(',', i);
      const value = c < 0 ? text.slice(i) : text.slice(i, c);
      if (value.includes('"')) return { error: `stray quote inside an unquoted field at column ${i + 1}` };
      fields.push(value);
      if (c < 0) return { fields };
      i = c + 1;
    }
    if (i === n) {
      fields.push('');
      return { fields };
    }
  }
}

/** Maps the header's column names to indexes; throws a clear error listing what is missing. */
export function indexHeader<K extends string>(
  header: string[],
  required: readonly K[],
  optional: readonly K[],
  file: string,
): Record<K, number> {
  const names = header.map((h, i) => (i === 0 ? h.replace(/^\uFEFF/, '') : h).trim());
  const missing = required.filter((r) => !names.includes(r));
  if (missing.length) {
    throw new CsvHeaderError(
      `${file}: missing required column(s) ${missing.join(', ')}; the header is "${names.join(',')}" ` +
        `and must contain ${required.join(', ')}`,
    );
  }
  const out = {} as Record<K, number>;
  for (const k of [...required, ...optional]) out[k] = names.indexOf(k);
  return out;
}
