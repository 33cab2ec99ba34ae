// Rejected input rows go to the quarantine table with their source, file, line, reason and raw
// text. Keyed by (source, file, line), so importing the same file again adds nothing.
import type { PoolClient } from 'pg';
import { copyInto, copyRow } from './pg-copy';

export interface RejectedRow {
  line: number;
  reason: string;
  raw: string;
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
