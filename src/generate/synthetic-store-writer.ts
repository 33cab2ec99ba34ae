// Writes a synthetic store into customers, products, orders and order_items: COPY into temp
// staging tables, then INSERT ... ON CONFLICT DO NOTHING, in one transaction, so writing the same
// seed again is a no-op and a failure leaves nothing behind.
import type { PoolClient } from 'pg';
import type { Database } from '../db/database';
import { silentProgress, type Progress } from '../infra/progress';
import { copyInto, copyRow } from '../importers/pg-copy';
import { withIndexesRebuiltIfEmpty } from '../importers/bulk-indexes';
import { newAndPresent, rowCount, type NewAndPresent } from '../importers/sql-counts';
import type { SyntheticStore } from './synthetic-store';

export const SYNTHETIC_SOURCE = 'synthetic';

export interface SyntheticWriteSummary {
  customers: NewAndPresent;
  products: NewAndPresent;
  orders: NewAndPresent;
  orderItems: NewAndPresent;
  seconds: number;
  /** Seconds spent per table, to see where a slow write goes. */
  tableSeconds: Record<string, number>;
}

/** Yields rows while reporting progress every 64k rows. */
function* tracked(count: number, progress: Progress, row: (i: number) => string): Generator<string> {
  for (let i = 0; i < count; i++) {
    if ((i & 65535) === 0) progress.update(i);
    yield row(i);
  }
  progress.update(count);
}

const UNIQUE_VIOLATION = '23505';

function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === UNIQUE_VIOLATION;
}

interface TableLoad {
  table: string;
  columns: string[];
  /** Rows in COPY text format; called again when the direct load has to be redone. */
  rows: () => Iterable<string>;
  /** The staging table's columns, same names and order as columns. */
  stageDdl: string;
  conflictKey: string;
}

/**
 * Loads rows into a table. Fast path: COPY straight into it (an empty or disjoint table, the usual
 * case). When a row already exists the COPY fails on the unique key; it is undone to a savepoint and
 * the rows go through a staging table and INSERT ... ON CONFLICT DO NOTHING instead. Returns the
 * number of new rows.
 */
async function load(client: PoolClient, spec: TableLoad, timings: Record<string, number>): Promise<number> {
  const started = Date.now();
  try {
    return await loadOnce(client, spec);
  } finally {
    timings[spec.table] = (Date.now() - started) / 1000;
  }
}

async function loadOnce(client: PoolClient, spec: TableLoad): Promise<number> {
  return withIndexesRebuiltIfEmpty(client, spec.table, () => loadDirectOrStaged(client, spec));
}

async function loadDirectOrStaged(client: PoolClient, spec: TableLoad): Promise<number> {
  await client.query('SAVEPOINT direct_copy');
  try {
    const n = await copyInto(client, spec.table, spec.columns, spec.rows());
    await client.query('RELEASE SAVEPOINT direct_copy');
    return n;
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    await client.query('ROLLBACK TO SAVEPOINT direct_copy');
  }
  const stage = `stage_${spec.table}`;
  await client.query(`CREATE TEMP TABLE ${stage} (${spec.stageDdl}) ON COMMIT DROP`);
  await copyInto(client, stage, spec.columns, spec.rows());
  const cols = spec.columns.join(', ');
  return rowCount(
    client,
    `INSERT INTO ${spec.table} (${cols}) SELECT ${cols} FROM ${stage} ON CONFLICT (${spec.conflictKey}) DO NOTHING`,
  );
}

export async function writeSyntheticStore(
  db: Database,
  store: SyntheticStore,
  opts: { progress?: Progress } = {},
): Promise<SyntheticWriteSummary> {
  const started = Date.now();
  const progress = opts.progress ?? silentProgress;
  const { customers, products, orders, lines } = store;
  const tableSeconds: Record<string, number> = {};
  const client = await db.pool.connect();
  try {
    await client.query('BEGIN');
    progress.start('write customers', customers.length, 'rows');
    const newCustomers = await load(
      client,
      {
        table: 'customers',
        columns: ['id', 'city', 'province'],
        stageDdl: 'id text, city text, province text',
        conflictKey: 'id',
        rows: () =>
          tracked(customers.length, progress, (i) => {
            const c = customers[i];
            if (!c) throw new RangeError(`customer ${i} of ${customers.length}`);
            return copyRow([c.id, c.city, c.province]);
          }),
      },
      tableSeconds,
    );
    const newProducts = await load(
      client,
      {
        table: 'products',
        columns: ['id', 'name', 'category', 'price'],
        stageDdl: 'id text, name text, category text, price float8',
        conflictKey: 'id',
        rows: () =>
          tracked(products.length, silentProgress, (i) => {
            const p = products[i];
            if (!p) throw new RangeError(`product ${i} of ${products.length}`);
            return copyRow([p.id, p.name, p.category, p.price]);
          }),
      },
      tableSeconds,
    );
    progress.stop();

    // Every line of an order shares the order's time: format each time once, not once per line.
    const isoTimes = new Array<string>(orders.count);
    for (let o = 0; o < orders.count; o++) isoTimes[o] = new Date((orders.orderedAt[o] ?? 0) * 1000).toISOString();
    const customerIds = customers.map((c) => c.id);
    const productIds = products.map((p) => p.id);

    progress.start('write orders', orders.count, 'orders');
    const newOrders = await load(
      client,
      {
        table: 'orders',
        columns: ['id', 'customer_id', 'source', 'ordered_at'],
        stageDdl: 'id text, customer_id text, source text, ordered_at timestamptz',
        conflictKey: 'id',
        rows: () =>
          tracked(orders.count, progress, (i) =>
            copyRow([orders.id(i), customerIds[orders.customer[i] ?? 0], SYNTHETIC_SOURCE, isoTimes[i]]),
          ),
      },
      tableSeconds,
    );
    progress.stop();

    progress.start('write order lines', lines.count, 'lines');
    const newItems = await load(
      client,
      {
        table: 'order_items',
        columns: [
          'line_key',
          'order_id',
          'customer_id',
          'product_id',
          'quantity',
          'unit_price',
          'event_type',
          'event_value',
          'occurred_at',
        ],
        stageDdl:
          'line_key text, order_id text, customer_id text, product_id text, quantity int, unit_price float8, event_type text, event_value float8, occurred_at timestamptz',
        conflictKey: 'line_key',
        rows: () => {
          // Lines of one order are contiguous, so the position within the order is a running counter.
          let prevOrder = -1;
          let pos = 0;
          return tracked(lines.count, progress, (i) => {
            const o = lines.order[i] ?? 0;
            pos = o === prevOrder ? pos + 1 : 1;
            prevOrder = o;
            const orderId = orders.id(o);
            const p = lines.product[i] ?? 0;
            return copyRow([
              `${SYNTHETIC_SOURCE}:${orderId}:${pos}`,
              orderId,
              customerIds[lines.customer[i] ?? 0],
              productIds[p],
              lines.quantity[i],
              products[p]?.price,
              'purchase',
              1,
              isoTimes[o],
            ]);
          });
        },
      },
      tableSeconds,
    );
    progress.stop();
    await client.query('COMMIT');
    return {
      customers: newAndPresent(customers.length, newCustomers),
      products: newAndPresent(products.length, newProducts),
      orders: newAndPresent(orders.count, newOrders),
      orderItems: newAndPresent(lines.count, newItems),
      seconds: (Date.now() - started) / 1000,
      tableSeconds,
    };
  } catch (err) {
    progress.stop();
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
