// export-datasets: writes the three Personalize datasets (REFERENCE.md, exact headers) from
// PostgreSQL to the object store, streamed through COPY so memory stays flat at any size.
import { PassThrough } from 'node:stream';
import { to as copyTo } from 'pg-copy-streams';
import type { Database } from '../db/database';
import type { RunLayout } from '../engine/training-engine';
import type { ObjectStore } from '../storage/object-store';
import { engineContext } from './engine-context';
import type { StageFn } from './stage-types';

// Order lines and recorded events form one interaction stream. Returns keep their own event
// type so an engine can weigh them (the default weight is 0) instead of losing them.
export const INTERACTIONS_SQL = `
  SELECT customer_id AS "USER_ID", product_id AS "ITEM_ID",
         floor(extract(epoch FROM occurred_at))::bigint AS "TIMESTAMP",
         event_type AS "EVENT_TYPE", event_value AS "EVENT_VALUE"
    FROM order_items
  UNION ALL
  SELECT user_id, product_id, floor(extract(epoch FROM occurred_at))::bigint, event_type, COALESCE(event_value, 1)
    FROM events
  ORDER BY 3, 1, 2`;

export const ITEMS_SQL = `
  SELECT p.id AS "ITEM_ID", COALESCE(p.name, '') AS "ITEM_NAME", COALESCE(p.category, '') AS "CATEGORY",
         COALESCE(p.price, 0) AS "PRICE", COALESCE(c.n, 0)::int AS "PURCHASE_COUNT"
    FROM products p
    LEFT JOIN (SELECT product_id, count(*) AS n FROM order_items WHERE event_type = 'purchase' GROUP BY 1) c
      ON c.product_id = p.id
   ORDER BY p.id`;

export const USERS_SQL = `
  SELECT cu.id AS "USER_ID", COALESCE(cu.city, '') AS "CITY", COALESCE(cu.province, '') AS "PROVINCE",
         COALESCE(o.orders, 0)::int AS "ORDER_COUNT", round(COALESCE(o.spend, 0)::numeric, 2) AS "TOTAL_SPEND"
    FROM customers cu
    LEFT JOIN (SELECT customer_id, count(DISTINCT order_id) AS orders,
                      sum(CASE WHEN event_type = 'purchase' THEN quantity * COALESCE(unit_price, 0) ELSE 0 END) AS spend
                 FROM order_items GROUP BY 1) o
      ON o.customer_id = cu.id
   ORDER BY cu.id`;

/** Streams one query as CSV with a header into the store; returns the data row count. */
export async function copyQueryToStore(db: Database, store: ObjectStore, key: string, sql: string): Promise<number> {
  const client = await db.pool.connect();
  try {
    const source = client.query(copyTo(`COPY (${sql}) TO STDOUT WITH (FORMAT csv, HEADER true)`));
    const body = new PassThrough();
    source.on('error', (err) => body.destroy(err));
    source.pipe(body);
    await store.put(key, body);
    return Math.max(0, source.rowCount);
  } finally {
    client.release();
  }
}

/** The three dataset files of a run, as every engine (and the quality benchmark) reads them. */
export async function writeDatasetFiles(
  db: Database,
  store: ObjectStore,
  layout: RunLayout,
  progress: (percent: number, message: string) => Promise<void> = () => Promise.resolve(),
): Promise<{ interactions: number; items: number; users: number }> {
  await progress(5, 'exporting interactions');
  const interactions = await copyQueryToStore(db, store, layout.interactions, INTERACTIONS_SQL);
  await progress(60, 'exporting items');
  const items = await copyQueryToStore(db, store, layout.items, ITEMS_SQL);
  await progress(70, 'exporting users');
  const users = await copyQueryToStore(db, store, layout.users, USERS_SQL);
  return { interactions, items, users };
}

export const exportDatasets: StageFn = async (deps, input) => {
  const { db, store, engine } = deps;
  const { layout, progress, poll, run } = input;
  // A re-check only follows the engine's import: the files were written on the first call.
  let counts = poll?.state.counts as Record<string, number> | undefined;
  if (!counts) {
    counts = await writeDatasetFiles(db, store, layout, progress);
  }
  if (engine.importDatasets) {
    await progress(80, 'importing datasets into the engine');
    const mode = run.mode === 'UPDATE' ? 'INCREMENTAL' : 'FULL';
    const step = await engine.importDatasets(
      engineContext(deps, input),
      mode,
      poll?.state.engine as Record<string, unknown> | undefined,
    );
    if (step.status === 'waiting') return { ...step, state: { counts, engine: step.state } };
  }
  await progress(100, 'datasets exported');
  return { status: 'done', counts };
};
