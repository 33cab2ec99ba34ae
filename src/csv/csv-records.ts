// The one CSV reader of the project (engine datasets, importers, AWS batch input): RFC 4180 records
// from a stream, numbered by their first physical line. Quoted fields may hold commas, doubled
// quotes and line breaks (PostgreSQL's COPY ... CSV writes a product name with a newline that way).
// Hand-written rather than csv-parse: lines without a quote take a split(',') fast path (the
// engine reads ~2 M lines per training), and a malformed record is reported with its own number
// and raw text while every other record still comes through (csv-parse's skip_records_with_error
// silently swallows the lines after a bad quote).
import { StringDecoder } from 'node:string_decoder';
import { DEFAULT_CSV_LIMITS, OVERLONG_PREVIEW_CHARS } from './csv-limits';

export interface CsvRecord {
  /** 1-based number of the record's first physical line (the header is line 1). */
  line: number;
  /** The record's text as in the file, without its final line break (inner breaks become \n). */
  raw: string;
  /** The fields, unquoted; undefined when the record could not be split. */
  fields?: string[];
  /** Why the record could not be split. */
  error?: string;
}

/** A quoted field may span this many physical lines before the record is rejected as unterminated. */
const MAX_LINES_PER_RECORD = 20;

const UNTERMINATED = 'unterminated quoted field';

/** Splits one record's text (RFC 4180 quoting); 'open' means a quoted field runs past the end. */
export function splitCsvRecord(text: string): { fields: string[] } | { error: string } | 'open' {
  if (text.indexOf('"') === -1) return { fields: text.split(',') };
  const fields: string[] = [];
  let i = 0;
  const n = text.length;
  for (;;) {
    if (text.charCodeAt(i) === 34) {
      let value = '';
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) return 'open';
        value += text.slice(i, q);
        if (text.charCodeAt(q + 1) === 34) {
          value += '"';
          i = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      fields.push(value);
      if (i === n) return { fields };
      if (text.charCodeAt(i) !== 44) return { error: `unexpected character after a closing quote at column ${i + 1}` };
      i++;
    } else {
      const c = text.indexOf(',', i);
      const value = c < 0 ? text.slice(i) : text.slice(i, c);
      if (value.indexOf('"') !== -1) return { error: `stray quote inside an unquoted field at column ${i + 1}` };
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

/**
 * Turns text pushed in pieces into records. Blank lines between records are not records; a
 * trailing \r of each physical line and a leading UTF-8 BOM are dropped.
 */
export class CsvTokenizer {
  private rest = '';
  private physical = 0;
  private pending: { line: number; parts: string[]; chars: number } | undefined;
  /** An overlong line being skipped up to its line break: only its start is kept. */
  private skipping: { line: number; preview: string } | undefined;

  /** Lines longer than maxLineChars are quarantined unread, so memory stays bounded by it. */
  constructor(private readonly maxLineChars: number = DEFAULT_CSV_LIMITS.maxLineChars) {}

  /** The records completed by this piece of text. */
  push(text: string): CsvRecord[] {
    const out: CsvRecord[] = [];
    if (this.skipping) {
      const nl = text.indexOf('\n');
      if (nl === -1) return out;
      this.endSkip(out);
      text = text.slice(nl + 1);
    }
    const all = this.rest + text;
    let start = 0;
    let nl = all.indexOf('\n');
    while (nl !== -1) {
      if (nl - start > this.maxLineChars) {
        this.startSkip(all.slice(start, start + OVERLONG_PREVIEW_CHARS), out);
        this.endSkip(out);
        start = nl + 1;
        nl = all.indexOf('\n', start);
        continue;
      }
      // The hot path (no open record, no quote) stays inline: the engine reads ~2 M lines per run.
      if (this.pending === undefined && this.physical > 0) {
        const line = all.slice(start, nl > start && all.charCodeAt(nl - 1) === 13 ? nl - 1 : nl);
        if (line.length > 0 && line.indexOf('"') === -1) {
          this.physical++;
          out.push({ line: this.physical, raw: line, fields: line.split(',') });
        } else {
          this.physicalLine(line, out);
        }
      } else {
        this.physicalLine(all.slice(start, nl), out);
      }
      start = nl + 1;
      nl = all.indexOf('\n', start);
    }
    this.rest = all.slice(start);
    if (this.rest.length > this.maxLineChars) {
      this.startSkip(this.rest.slice(0, OVERLONG_PREVIEW_CHARS), out);
      this.rest = '';
    }
    return out;
  }

  private tooLong(): string {
    return `record longer than ${this.maxLineChars} characters (IMPORT_MAX_LINE_CHARS); only its first ${OVERLONG_PREVIEW_CHARS} are kept`;
  }

  /** Begins skipping an overlong physical line; an open quoted record before it ends unterminated. */
  private startSkip(preview: string, out: CsvRecord[]): void {
    if (this.pending) {
      out.push({ line: this.pending.line, raw: this.pending.parts.join('\n'), error: UNTERMINATED });
      this.pending = undefined;
    }
    this.physical++;
    this.skipping = { line: this.physical, preview };
  }

  private endSkip(out: CsvRecord[]): void {
    if (!this.skipping) return;
    out.push({ line: this.skipping.line, raw: this.skipping.preview, error: this.tooLong() });
    this.skipping = undefined;
  }

  /** The records left at the end of the input (a last line without a line break, an open quote). */
  end(): CsvRecord[] {
    const out: CsvRecord[] = [];
    this.endSkip(out);
    if (this.rest.length) this.physicalLine(this.rest, out);
    this.rest = '';
    if (this.pending) out.push({ line: this.pending.line, raw: this.pending.parts.join('\n'), error: UNTERMINATED });
    this.pending = undefined;
    return out;
  }

  private physicalLine(line: string, out: CsvRecord[]): void {
    let text = line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line;
    this.physical++;
    if (this.physical === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    const pending = this.pending;
    if (pending) {
      pending.parts.push(text);
      pending.chars += text.length + 1;
      if (pending.chars > this.maxLineChars) {
        // A quoted field may not grow a record past the line limit either.
        this.pending = undefined;
        const raw = pending.parts.join('\n').slice(0, OVERLONG_PREVIEW_CHARS);
        out.push({ line: pending.line, raw, error: this.tooLong() });
        return;
      }
      const raw = pending.parts.join('\n');
      const parsed = splitCsvRecord(raw);
      if (parsed !== 'open') {
        out.push({ line: pending.line, raw, ...parsed });
        this.pending = undefined;
      } else if (pending.parts.length >= MAX_LINES_PER_RECORD) {
        // Give up on this record, but read its later lines on their own so nothing is lost.
        this.pending = undefined;
        const [first, ...later] = pending.parts;
        out.push({ line: pending.line, raw: first ?? '', error: UNTERMINATED });
        let n = pending.line;
        for (const part of later) {
          n++;
          const p = splitCsvRecord(part);
          out.push(p === 'open' ? { line: n, raw: part, error: UNTERMINATED } : { line: n, raw: part, ...p });
        }
      }
      return;
    }
    if (text.length === 0) return;
    if (text.indexOf('"') === -1) {
      out.push({ line: this.physical, raw: text, fields: text.split(',') });
      return;
    }
    const parsed = splitCsvRecord(text);
    if (parsed === 'open') this.pending = { line: this.physical, parts: [text], chars: text.length };
    else out.push({ line: this.physical, raw: text, ...parsed });
  }
}

const BATCH_CHARS = 1 << 16;

/**
 * The records of a UTF-8 byte (or text) stream, one batch per chunk read: the engine's hot loop
 * then awaits once per chunk, not once per line.
 */
export async function* readCsvRecords(
  input: AsyncIterable<Buffer | string>,
  opts: { maxLineChars?: number } = {},
): AsyncGenerator<CsvRecord[]> {
  const decoder = new StringDecoder('utf8');
  const tokenizer = new CsvTokenizer(opts.maxLineChars);
  // Checked per record only once the text has shown one: clean files keep the fast path.
  let suspect = false;
  for await (const chunk of input) {
    const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    if (!suspect && (text.includes('\uFFFD') || text.includes('\0'))) suspect = true;
    // Batches of a bounded size: a large chunk's records all alive at once outlive the young
    // generation, and the collector's extra work cost a third more CPU on 1 MiB chunks.
    for (let at = 0; at < text.length; at += BATCH_CHARS) {
      const records = tokenizer.push(at === 0 && text.length <= BATCH_CHARS ? text : text.slice(at, at + BATCH_CHARS));
      if (records.length) yield suspect ? records.map(rejectUnstorable) : records;
    }
  }
  const tail = decoder.end();
  if (tail.includes('\uFFFD')) suspect = true;
  const last = tokenizer.push(tail);
  last.push(...tokenizer.end());
  if (last.length) yield suspect ? last.map(rejectUnstorable) : last;
}

/**
 * A record whose text holds U+FFFD (what the decoder makes of invalid UTF-8) or NUL (which
 * PostgreSQL text cannot store) is rejected, so no id is silently altered on its way in.
 */
function rejectUnstorable(r: CsvRecord): CsvRecord {
  if (!r.fields) return r;
  const bad = r.raw.indexOf('\uFFFD');
  if (bad !== -1) return { line: r.line, raw: r.raw, error: `invalid UTF-8 at column ${bad + 1}` };
  const nul = r.raw.indexOf('\0');
  if (nul !== -1) return { line: r.line, raw: r.raw, error: `NUL byte at column ${nul + 1}` };
  return r;
}
