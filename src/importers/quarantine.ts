// Rejected input rows go to the quarantine table with their source, file, line, reason and raw
// text. Keyed by (source, file, line), so importing the same file again adds nothing.
import type { PoolClient } from 'pg';
import { CsvFileRefused, DEFAULT_CSV_LIMITS, type CsvLimits } from '../csv/csv-limits';
import { copyInto, copyRow } from './pg-copy';

export interface RejectedRow {
  line: number;
  reason: string;
  raw: string;
}

/** What one held row costs beyond its text (object, array slot, line number): a round figure. */
const ROW_OVERHEAD_BYTES = 96;

/**
 * The rejected rows of one file, held until the import commits, within `maxRejectedBytes`
 * (IMPORT_MAX_REJECTED_MB). Past it `add` throws CsvFileRefused: the import's transaction rolls
 * back and nothing of the file is imported, with a message that says why.
 */
export class RejectedRows {
  readonly rows: RejectedRow[] = [];
  private bytes = 0;
  private readonly maxBytes: number;

  constructor(
    private readonly fileName: string,
    limits?: Partial<CsvLimits>,
  ) {
    this.maxBytes = limits?.maxRejectedBytes ?? DEFAULT_CSV_LIMITS.maxRejectedBytes;
  }

  add(row: RejectedRow): void {
    // JavaScript strings take two bytes per UTF-16 unit.
    this.bytes += ROW_OVERHEAD_BYTES + 2 * (row.raw.length + row.reason.length);
    if (this.bytes > this.maxBytes) {
      throw new CsvFileRefused(
        `${this.fileName}: more than ${Number((this.maxBytes / 1024 ** 2).toFixed(2))} MiB of rejected rows ` +
          `(${this.rows.length + 1} rows so far; IMPORT_MAX_REJECTED_MB): the file is refused as a whole and nothing of it was imported`,
      );
    }
    this.rows.push(row);
  }

  get length(): number {
    return this.rows.length;
  }
}

/** Returns how many rows were new to the quarantine. */
export async function quarantineRows(
  client: PoolClient,
  source: string,
  file: string,
  rows: RejectedRow[],
): Promise<number> {
  if (rows.length === 0) return 0;
  await client.query(
    'CREATE TEMP TABLE IF NOT EXISTS stage_quarantine (line int, reason text, raw text) ON COMMIT DROP',
  );
  await client.query('TRUNCATE stage_quarantine');
  await copyInto(
    client,
    'stage_quarantine',
    ['line', 'reason', 'raw'],
    rows.map((r) => copyRow([r.line, r.reason, r.raw])),
  );
  const res = await client.query(
    `INSERT INTO quarantine (source, file, line_number, reason, raw)
     SELECT $1, $2, line, reason, raw FROM stage_quarantine
     ON CONFLICT (source, file, line_number) DO NOTHING`,
    [source, file],
  );
  return res.rowCount ?? 0;
}
