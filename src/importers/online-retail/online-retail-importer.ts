// Imports the Online Retail file into customers, products, orders and order_items. Lines stream
// through the reader into a temp staging table by COPY; set-based INSERT ... ON CONFLICT then
// moves them into place in one transaction, so a re-import changes nothing and a failure leaves
// nothing half-done.
import path from 'node:path';
import type { CsvLimits } from '../../csv/csv-limits';
import type { Database } from '../../db/database';
import { silentProgress, type Progress } from '../../infra/progress';
import { withIndexesRebuiltIfEmpty } from '../bulk-indexes';
import { copyInto, copyRow } from '../pg-copy';
import { quarantineErasedRows } from '../erased-rows';
import { quarantineRows, RejectedRows } from '../quarantine';
import { readOnlineRetail } from './online-retail-reader';
import { newAndPresent, scalar, upsertCounts, type NewAndPresent } from '../sql-counts';

const ONLINE_RETAIL_SOURCE = 'online-retail';

export interface OnlineRetailImportSummary {
  file: string;
  rowsRead: number;
  purchases: number;
  returns: number;
  skippedNoCustomer: number;
  /** Postage, fees and adjustments (StockCode not starting with a digit). */
  skippedNonProduct: number;
  quarantined: NewAndPresent;
  /** Rows of erased customers, quarantined (counted in `quarantined` too). */
  erasedCustomerRows: number;
  customers: NewAndPresent & { updated: number };
  products: NewAndPresent & { updated: number };
  orders: NewAndPresent;
  orderItems: NewAndPresent;
  seconds: number;
}

const STAGE_COLUMNS = [
  'line',
  'invoice_no',
  'stock_code',
  'description',
  'quantity',
  'occurred_at',
  'unit_price',
  'customer_id',
  'country',
  'is_return',
  'cancellation',
] as const;

export async function importOnlineRetail(
  db: Database,
  file: string,
  opts: { progress?: Progress; limits?: Partial<CsvLimits> } = {},
): Promise<OnlineRetailImportSummary> {
  const started = Date.now();
  const progress = opts.progress ?? silentProgress;
  const fileName = path.basename(file);
  const counts = { rowsRead: 0, purchases: 0, returns: 0, skippedNoCustomer: 0, skippedNonProduct: 0 };
  const rejected = new RejectedRows(fileName, opts.limits);

  async function* stagedRows(): AsyncGenerator<string> {
    let begun = false;
    for await (const r of readOnlineRetail(file, {
      limits: opts.limits,
      onProgress: (done, total) => {
        if (!begun) progress.start(`import ${fileName}`, total, 'bytes');
        begun = true;
        progress.update(done);
      },
    })) {
      counts.rowsRead++;
      switch (r.kind) {
        case 'rejected':
          rejected.add({ line: r.line, reason: r.reason, raw: r.raw });
          break;
        case 'skipped-no-customer':
          counts.skippedNoCustomer++;
          break;
        case 'skipped-non-product':
          counts.skippedNonProduct++;
          break;
        case 'purchase':
        case 'return': {
          const isReturn = r.kind === 'return';
          if (isReturn) counts.returns++;
          else counts.purchases++;
          yield copyRow([
            r.line,
            r.invoiceNo,
            r.stockCode,
            r.description,
            r.quantity,
            r.occurredAt,
            r.unitPrice,
            r.customerId,
            r.country,
            isReturn,
            isReturn && r.cancellation,
          ]);
          break;
        }
      }
    }
    progress.stop();
  }

  const client = await db.pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(`CREATE TEMP TABLE stage_online_retail (
      line int NOT NULL, invoice_no text NOT NULL, stock_code text NOT NULL, description text NOT NULL,
      quantity int NOT NULL, occurred_at timestamptz NOT NULL, unit_price float8 NOT NULL,
      customer_id text NOT NULL, country text NOT NULL, is_return boolean NOT NULL, cancellation boolean NOT NULL
    ) ON COMMIT DROP`);
    const staged = await copyInto(client, 'stage_online_retail', STAGE_COLUMNS, stagedRows());
    await client.query('ANALYZE stage_online_retail');

    const quarantinedNew = await quarantineRows(client, ONLINE_RETAIL_SOURCE, fileName, rejected.rows);
    const erased = await quarantineErasedRows(
      client,
      'stage_online_retail',
      'customer_id',
      ONLINE_RETAIL_SOURCE,
      fileName,
    );

    // Country is the only place the file says where a customer is: it becomes the province.
    const customers = await upsertCounts(
      client,
      `
      WITH latest AS (
        SELECT DISTINCT ON (customer_id) customer_id, NULLIF(country, '') AS province
        FROM stage_online_retail ORDER BY customer_id, occurred_at DESC, line DESC)
      INSERT INTO customers (id, province) SELECT customer_id, province FROM latest
      ON CONFLICT (id) DO UPDATE SET province = EXCLUDED.province, updated_at = now()
        WHERE customers.province IS DISTINCT FROM EXCLUDED.province
      RETURNING (xmax = 0) AS inserted`,
      'SELECT count(DISTINCT customer_id)::int AS n FROM stage_online_retail',
    );

    // Name: the most recent non-empty description. Price: the most recent purchase price above 0
    // (returns and free lines only when nothing else is known).
    const products = await upsertCounts(
      client,
      `
      WITH names AS (
        SELECT DISTINCT ON (stock_code) stock_code, description FROM stage_online_retail
        WHERE description <> '' ORDER BY stock_code, occurred_at DESC, line DESC),
      prices AS (
        SELECT DISTINCT ON (stock_code) stock_code, unit_price FROM stage_online_retail
        ORDER BY stock_code, (NOT is_return AND unit_price > 0) DESC, occurred_at DESC, line DESC)
      INSERT INTO products (id, name, price)
      SELECT p.stock_code, n.description, p.unit_price FROM prices p LEFT JOIN names n USING (stock_code)
      ON CONFLICT (id) DO UPDATE SET name = COALESCE(EXCLUDED.name, products.name), price = EXCLUDED.price, updated_at = now()
        WHERE (products.name, products.price) IS DISTINCT FROM (COALESCE(EXCLUDED.name, products.name), EXCLUDED.price)
      RETURNING (xmax = 0) AS inserted`,
      'SELECT count(DISTINCT stock_code)::int AS n FROM stage_online_retail',
    );

    const orders = await client.query(
      `
      INSERT INTO orders (id, customer_id, source, status, ordered_at)
      SELECT DISTINCT ON (invoice_no) invoice_no, customer_id, $1,
        CASE WHEN cancellation THEN 'cancelled' ELSE 'placed' END, occurred_at
      FROM stage_online_retail ORDER BY invoice_no, occurred_at, line
      ON CONFLICT (id) DO NOTHING`,
      [ONLINE_RETAIL_SOURCE],
    );
    const orderTotal = await scalar(client, 'SELECT count(DISTINCT invoice_no)::int AS n FROM stage_online_retail');

    // line_key: the n-th line of this stock code in this invoice, in file order.
    const items = await withIndexesRebuiltIfEmpty(client, 'order_items', (wasEmpty) =>
      client.query(
        `
      INSERT INTO order_items (line_key, order_id, customer_id, product_id, quantity, unit_price, event_type, event_value, occurred_at)
      SELECT $1 || ':' || invoice_no || ':' || stock_code || ':' ||
               row_number() OVER (PARTITION BY invoice_no, stock_code ORDER BY line),
             invoice_no, customer_id, stock_code, abs(quantity), unit_price,
             CASE WHEN is_return THEN 'return' ELSE 'purchase' END, 1, occurred_at
      FROM stage_online_retail
      ${wasEmpty ? '' : 'ON CONFLICT (line_key) DO NOTHING'}`,
        [ONLINE_RETAIL_SOURCE],
      ),
    );
    await client.query('COMMIT');

    return {
      file: fileName,
      ...counts,
      quarantined: newAndPresent(rejected.length + erased.total, quarantinedNew + erased.new),
      erasedCustomerRows: erased.total,
      customers,
      products,
      orders: newAndPresent(orderTotal, orders.rowCount ?? 0),
      orderItems: newAndPresent(staged - erased.total, items.rowCount ?? 0),
      seconds: (Date.now() - started) / 1000,
    };
  } catch (err) {
    progress.stop();
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
