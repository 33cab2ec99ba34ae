// Imports the Personalize CSV files as they are: users -> customers, items -> products,
// interactions -> events (source 'personalize'). Each file is staged by COPY into a temp table,
// then moved with INSERT ... ON CONFLICT, all in one transaction; bad lines go to the quarantine.
import path from 'node:path';
import type { PoolClient } from 'pg';
import type { Database } from '../../db/database';
import { silentProgress, type Progress } from '../../infra/progress';
import { withIndexesRebuiltIfEmpty } from '../bulk-indexes';
import { indexHeader } from '../../csv/csv-header';
import { openCsv } from '../../csv/csv-file';
import type { CsvLimits } from '../../csv/csv-limits';
import { copyInto, copyRow } from '../pg-copy';
import { quarantineErasedRows } from '../erased-rows';
import { quarantineRows, RejectedRows } from '../quarantine';
import { newAndPresent, rowCount, scalar, upsertCounts, type NewAndPresent } from '../sql-counts';
import {
  INTERACTIONS_FORMAT,
  ITEMS_FORMAT,
  USERS_FORMAT,
  type PersonalizeFormat,
  type PersonalizeKind,
} from './personalize-format';

const PERSONALIZE_SOURCE = 'personalize';

export interface PersonalizeFiles {
  interactions: string;
  items?: string;
  users?: string;
}

export interface PersonalizeFileSummary {
  kind: PersonalizeKind;
  file: string;
  rowsRead: number;
  quarantined: number;
  /** Distinct keys loaded into the target table (customers, products or events). */
  loaded: NewAndPresent & { updated: number };
}

export interface PersonalizeImportSummary {
  files: PersonalizeFileSummary[];
  bareCustomers: number;
  bareProducts: number;
  seconds: number;
}

interface Staged {
  table: string;
  rowsRead: number;
  rejected: RejectedRows;
  /** Rows of erased customers, already moved to the quarantine. */
  erased: number;
}

async function stageFile(
  client: PoolClient,
  file: string,
  format: PersonalizeFormat,
  progress: Progress,
  limits?: Partial<CsvLimits>,
): Promise<Staged> {
  const name = path.basename(file);
  const source = await openCsv(file, limits);
  const table = `stage_personalize_${format.kind}`;
  await client.query(`CREATE TEMP TABLE ${table} (line int NOT NULL, ${format.stageDdl}) ON COMMIT DROP`);
  const rejected = new RejectedRows(name, limits);
  let rowsRead = 0;
  async function* rows(): AsyncGenerator<string> {
    let idx: Record<string, number> | undefined;
    let width = 0;
    progress.start(`import ${name}`, source.totalBytes, 'bytes');
    for await (const l of source.records) {
      if (!idx) {
        if (!l.fields) throw new Error(`${name}: the header line cannot be read (${l.error ?? 'unknown'})`);
        idx = indexHeader(l.fields, format.required, format.optional, name);
        width = l.fields.length;
        continue;
      }
      rowsRead++;
      if ((rowsRead & 8191) === 0) progress.update(source.bytesRead());
      const fields = l.fields;
      if (!fields) {
        rejected.add({ line: l.line, reason: l.error ?? 'unreadable line', raw: l.raw });
        continue;
      }
      if (fields.length !== width) {
        rejected.add({ line: l.line, reason: `expected ${width} columns, got ${fields.length}`, raw: l.raw });
        continue;
      }
      const at = idx;
      const parsed = format.parse((c) => {
        const i = at[c] ?? -1;
        return i < 0 ? undefined : fields[i];
      });
      if ('reason' in parsed) rejected.add({ line: l.line, reason: parsed.reason, raw: l.raw });
      else yield copyRow([l.line, ...parsed]);
    }
    if (!idx) throw new Error(`${name}: the file is empty (no header line)`);
    progress.update(source.totalBytes);
    progress.stop();
  }
  await copyInto(client, table, ['line', ...format.stageColumns], rows());
  const erased =
    format.kind === 'items'
      ? 0
      : (await quarantineErasedRows(client, table, 'user_id', `${PERSONALIZE_SOURCE}-${format.kind}`, name)).total;
  await client.query(`ANALYZE ${table}`);
  return { table, rowsRead, rejected, erased };
}

export async function importPersonalize(
  db: Database,
  files: PersonalizeFiles,
  opts: { progress?: Progress; limits?: Partial<CsvLimits> } = {},
): Promise<PersonalizeImportSummary> {
  const started = Date.now();
  const progress = opts.progress ?? silentProgress;
  const summaries: PersonalizeFileSummary[] = [];
  const client = await db.pool.connect();
  try {
    await client.query('BEGIN');
    const finish = async (
      kind: PersonalizeKind,
      file: string,
      s: Staged,
      loaded: PersonalizeFileSummary['loaded'],
    ): Promise<void> => {
      const name = path.basename(file);
      await quarantineRows(client, `${PERSONALIZE_SOURCE}-${kind}`, name, s.rejected.rows);
      summaries.push({ kind, file: name, rowsRead: s.rowsRead, quarantined: s.rejected.length + s.erased, loaded });
    };

    if (files.users) {
      const s = await stageFile(client, files.users, USERS_FORMAT, progress, opts.limits);
      const counts = await upsertCounts(
        client,
        `
        INSERT INTO customers (id, city, province)
        SELECT DISTINCT ON (user_id) user_id, city, province FROM ${s.table} ORDER BY user_id, line DESC
        ON CONFLICT (id) DO UPDATE SET city = EXCLUDED.city, province = EXCLUDED.province, updated_at = now()
          WHERE (customers.city, customers.province) IS DISTINCT FROM (EXCLUDED.city, EXCLUDED.province)
        RETURNING (xmax = 0) AS inserted`,
        `SELECT count(DISTINCT user_id)::int AS n FROM ${s.table}`,
      );
      await finish('users', files.users, s, counts);
    }
    if (files.items) {
      const s = await stageFile(client, files.items, ITEMS_FORMAT, progress, opts.limits);
      const counts = await upsertCounts(
        client,
        `
        INSERT INTO products (id, name, category, price)
        SELECT DISTINCT ON (item_id) item_id, name, category, price FROM ${s.table} ORDER BY item_id, line DESC
        ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, category = EXCLUDED.category, price = EXCLUDED.price, updated_at = now()
          WHERE (products.name, products.category, products.price) IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.category, EXCLUDED.price)
        RETURNING (xmax = 0) AS inserted`,
        `SELECT count(DISTINCT item_id)::int AS n FROM ${s.table}`,
      );
      await finish('items', files.items, s, counts);
    }

    const s = await stageFile(client, files.interactions, INTERACTIONS_FORMAT, progress, opts.limits);
    // event_id: a digest of the interaction's values plus its occurrence among identical lines,
    // so the same file always yields the same ids and a re-import inserts nothing.
    const insertedEvents = await withIndexesRebuiltIfEmpty(client, 'events', (wasEmpty) =>
      rowCount(
        client,
        `
      INSERT INTO events (event_id, user_id, product_id, event_type, event_value, occurred_at, source)
      SELECT $1 || ':' || k.digest || ':' || row_number() OVER (PARTITION BY k.digest ORDER BY k.line),
             k.user_id, k.item_id, k.event_type, k.event_value, to_timestamp(k.ts), $1
      FROM (SELECT *, md5(user_id || chr(31) || item_id || chr(31) || ts || chr(31) || event_type || chr(31) || event_value_text) AS digest
            FROM ${s.table}) k
      ${wasEmpty ? '' : 'ON CONFLICT (event_id) DO NOTHING'}`,
        [PERSONALIZE_SOURCE],
      ),
    );
    const total = await scalar(client, `SELECT count(*)::int AS n FROM ${s.table}`);
    await finish('interactions', files.interactions, s, { ...newAndPresent(total, insertedEvents), updated: 0 });

    const bareCustomers = await rowCount(
      client,
      `
      INSERT INTO customers (id) SELECT DISTINCT user_id FROM ${s.table} ON CONFLICT (id) DO NOTHING`,
    );
    const bareProducts = await rowCount(
      client,
      `
      INSERT INTO products (id) SELECT DISTINCT item_id FROM ${s.table} ON CONFLICT (id) DO NOTHING`,
    );
    await client.query('COMMIT');
    return { files: summaries, bareCustomers, bareProducts, seconds: (Date.now() - started) / 1000 };
  } catch (err) {
    progress.stop();
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
