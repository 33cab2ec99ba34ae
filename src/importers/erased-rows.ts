// Right to erasure in file imports: staged rows naming an erased customer (their id's SHA-256 is
// in erased_customers, src/privacy) leave the stage table before anything is moved into place,
// and go to the quarantine with a reason and no raw text, so the import neither stores the
// customer again nor keeps a copy of their line.
import type { PoolClient } from 'pg';
import { idHashSql } from '../privacy/customer-erasure';
import type { NewAndPresent } from './sql-counts';

export const ERASED_ROW_REASON = 'customer erased (right to erasure): the row is not stored';

/** Moves the stage table's rows of erased customers to the quarantine; counts them. */
export async function quarantineErasedRows(
  client: PoolClient,
  stageTable: string,
  customerColumn: string,
  source: string,
  file: string,
): Promise<NewAndPresent> {
  const any = await client.query('SELECT 1 FROM erased_customers LIMIT 1');
  if (!any.rowCount) return { total: 0, new: 0, alreadyPresent: 0 };
  // Hash each distinct id once (a file has far fewer customers than lines).
  const { rows } = await client.query<{ total: number; added: number }>(
    `WITH ids AS (SELECT DISTINCT ${customerColumn} AS id FROM ${stageTable}),
          erased AS (SELECT id FROM ids WHERE ${idHashSql('id')} IN (SELECT id_hash FROM erased_customers)),
          gone AS (DELETE FROM ${stageTable} WHERE ${customerColumn} IN (SELECT id FROM erased) RETURNING line),
          added AS (INSERT INTO quarantine (source, file, line_number, reason, raw)
                    SELECT $1, $2, line, $3, '' FROM gone
                    ON CONFLICT (source, file, line_number) DO NOTHING RETURNING 1)
     SELECT (SELECT count(*) FROM gone)::int AS total, (SELECT count(*) FROM added)::int AS added`,
    [source, file, ERASED_ROW_REASON],
  );
  const total = rows[0]?.total ?? 0;
  const added = rows[0]?.added ?? 0;
  return { total, new: added, alreadyPresent: total - added };
}
