// Streams the Online Retail file (plain or gzip) as cleaned records. Reused by the importer and by
// the engine's quality benchmark, which needs the same cleaning without a database.
import path from 'node:path';
import { indexHeader } from '../../csv/csv-header';
import { openCsv } from '../../csv/csv-file';
import type { CsvLimits } from '../../csv/csv-limits';
import {
  ONLINE_RETAIL_COLUMNS,
  parseOnlineRetailLine,
  type ColumnIndex,
  type OnlineRetailRecord,
} from './online-retail-record';

export type { OnlineRetailRecord, OnlineRetailLine } from './online-retail-record';

export interface ReadOnlineRetailOptions {
  /** Called now and then with (bytes read, total bytes) of the file on disk, for progress. */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  /** Line-length and inflated-size limits (src/config: IMPORT_MAX_*); the reader's defaults otherwise. */
  limits?: Partial<CsvLimits>;
}

/**
 * Every data line of the file, in file order, classified as purchase, return,
 * skipped-no-customer or rejected. Throws CsvHeaderError when the header lacks a column.
 */
export async function* readOnlineRetail(
  file: string,
  opts: ReadOnlineRetailOptions = {},
): AsyncGenerator<OnlineRetailRecord> {
  const source = await openCsv(file, opts.limits);
  let idx: ColumnIndex | undefined;
  let columnCount: number = ONLINE_RETAIL_COLUMNS.length;
  let n = 0;
  for await (const l of source.records) {
    if (!idx) {
      if (!l.fields)
        throw new Error(`${path.basename(file)}: the header line cannot be read (${l.error ?? 'unknown'})`);
      idx = indexHeader(l.fields, ONLINE_RETAIL_COLUMNS, [], path.basename(file));
      columnCount = l.fields.length;
      continue;
    }
    if ((++n & 8191) === 0) opts.onProgress?.(source.bytesRead(), source.totalBytes);
    if (!l.fields) {
      yield { kind: 'rejected', line: l.line, reason: l.error ?? 'unreadable line', raw: l.raw };
      continue;
    }
    yield parseOnlineRetailLine(l.fields, l.line, l.raw, idx, columnCount);
  }
  if (!idx) throw new Error(`${path.basename(file)}: the file is empty (no header line)`);
  opts.onProgress?.(source.totalBytes, source.totalBytes);
}
