// Part 4 of bench:realtime: next-purchase quality on Online Retail replayed as a stream. The file
// goes through the product's importer; every order line of the last 30 days is taken out (kept as
// the stream) and the pipeline trains and loads on what is left, as a store would have done the
// night before the window. Two gateways serve that batch, one with re-ranking, one without; each
// invoice of the window, in time order, is first scored on both answers (top 10, nDCG@10 against
// the invoice's products), then its purchases are recorded (one recordEvents call; no views: the
// file has none). Events carry no timestamp (the replay's now): the window's weeks are replayed in
// minutes, so re-ranking sees each customer's earlier invoices as minutes old. Nothing is tuned on
// the window; the pipeline runs on its defaults.
import { rm } from 'node:fs/promises';
import { buildServices } from '../../src/app/services';
import { RECIPES } from '../../src/engine/training-engine';
import { createApiKey } from '../../src/gateway/auth/api-keys';
import { importOnlineRetail } from '../../src/importers/online-retail/online-retail-importer';
import { bootstrapInterval } from '../quality/scoring';
import { DAY } from '../quality/bench-datasets';
import { dropBenchSchema, freshBenchConfig } from '../support/bench-schema';
import { runStagesDirectly } from '../support/direct-pipeline';
import { GATEWAY_SCRIPT, graphql, startServer, stop, type Server } from '../support/serving-harness';
import { invoiceNdcg, replayOrder, type Invoice, type ReplayLine } from './replay-plan';
import { RECORD, recsBody } from './shoppers';

const K = 10;
const WINDOW_DAYS = 30;

type Answer = { recommendations: { items: { product: { id: string } }[]; source: string } };

export interface Comparison {
  invoices: number;
  customers: number;
  /** Mean nDCG@10 with its bootstrap 95% interval over invoices. */
  on: [number, number, number];
  off: [number, number, number];
  /** on - off, paired per invoice. */
  diff: [number, number, number];
}

export interface ReplayFigures {
  file: string;
  lines: { trained: number; window: number };
  trainSeconds: number;
  replaySeconds: number;
  /** Customers the batch was trained on (an order line before the window). */
  seen: Comparison;
  /** Customers without one, from their second invoice in the window on (re-ranking vs popularity). */
  unseenLater: Comparison;
  /** Their first invoices (nothing recorded yet: both answers are popularity). */
  unseenFirst: Comparison;
  /** The batch-only answers' list sources, per group. */
  offSources: Record<Group, Record<string, number>>;
}

type Group = 'seen' | 'unseenLater' | 'unseenFirst';

function compare(rows: { customer: string; on: number; off: number }[]): Comparison {
  const on = Float64Array.from(rows, (r) => r.on);
  const off = Float64Array.from(rows, (r) => r.off);
  const diff = Float64Array.from(rows, (r) => r.on - r.off);
  const mean = (xs: Float64Array) => (xs.length ? xs.reduce((s, v) => s + v, 0) / xs.length : 0);
  const withInterval = (xs: Float64Array): [number, number, number] => [mean(xs), ...bootstrapInterval(xs)];
  return {
    invoices: rows.length,
    customers: new Set(rows.map((r) => r.customer)).size,
    on: withInterval(on),
    off: withInterval(off),
    diff: withInterval(diff),
  };
}

async function replay(invoices: Invoice[], seen: Set<string>, on: Server, off: Server, ingestKey: string) {
  const rows: Record<Group, { customer: string; on: number; off: number }[]> = {
    seen: [],
    unseenLater: [],
    unseenFirst: [],
  };
  const offSources: Record<Group, Record<string, number>> = { seen: {}, unseenLater: {}, unseenFirst: {} };
  const started = new Set<string>();
  for (const inv of invoices) {
    const body = recsBody({ userId: inv.customer });
    const [a, b] = await Promise.all([graphql<Answer>(on.url, body), graphql<Answer>(off.url, body)]);
    const ids = (x: Answer) => x.recommendations.items.slice(0, K).map((i) => i.product.id);
    const row = {
      customer: inv.customer,
      on: invoiceNdcg(ids(a), inv.products, K),
      off: invoiceNdcg(ids(b), inv.products, K),
    };
    const group: Group = seen.has(inv.customer) ? 'seen' : started.has(inv.customer) ? 'unseenLater' : 'unseenFirst';
    rows[group].push(row);
    const sources = offSources[group];
    sources[b.recommendations.source] = (sources[b.recommendations.source] ?? 0) + 1;
    started.add(inv.customer);
    const events = inv.products.map((productId) => ({
      userId: inv.customer,
      productId,
      eventType: 'purchase',
      eventId: `replay-${inv.order}-${productId}`,
    }));
    await graphql(on.url, JSON.stringify({ query: RECORD, variables: { events } }), ingestKey);
  }
  return { rows, offSources };
}

export async function runStreamReplay(file: string): Promise<ReplayFigures> {
  const name = `bench_rt_replay_${Date.now().toString(36)}`;
  const config = await freshBenchConfig(name);
  const services = buildServices(config, { name: 'bench' });
  const { pool } = services.db;
  const servers: Server[] = [];
  try {
    let t = Date.now();
    await importOnlineRetail(services.db, file);
    const { rows: last } = await pool.query<{ end: number }>(
      `SELECT extract(epoch FROM max(occurred_at))::float8 AS end FROM order_items`,
    );
    const cutoff = new Date((Number(last[0]?.end) - WINDOW_DAYS * DAY) * 1000);
    const { rows: window } = await pool.query<ReplayLine>(
      `SELECT customer_id AS customer, order_id AS "order", product_id AS product,
              extract(epoch FROM occurred_at)::float8 AS at
         FROM order_items WHERE occurred_at >= $1 AND event_type = 'purchase'`,
      [cutoff],
    );
    // The batch knows nothing of the window: its lines (returns too) and emptied orders go.
    await pool.query(`DELETE FROM order_items WHERE occurred_at >= $1`, [cutoff]);
    await pool.query(`DELETE FROM orders o WHERE NOT EXISTS (SELECT 1 FROM order_items i WHERE i.order_id = o.id)`);
    const { rows: trained } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM order_items`);
    await runStagesDirectly(services, config, RECIPES);
    const trainSeconds = (Date.now() - t) / 1000;
    // Seen = trained on: every customer row gets a list (the importer stores window-only customers
    // too), so "unseen by the batch" means no order line before the window.
    const { rows: listed } = await pool.query<{ customer_id: string }>(`SELECT DISTINCT customer_id FROM order_items`);
    const seen = new Set(listed.map((r) => r.customer_id));
    const ingestKey = (await createApiKey(pool, 'ingest', 'bench')).key;

    const env = {
      DATABASE_SCHEMA: config.database.schema,
      QUEUE_PREFIX: config.redis.prefix,
      OBJECT_STORE_DIR: config.objectStore.dir,
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
      SCHEDULES_ENABLED: 'false',
      RATE_LIMIT_PER_IP: '1000000000',
    };
    const on = await startServer(GATEWAY_SCRIPT, { ...env, REALTIME_RERANKING: 'true' });
    servers.push(on);
    const off = await startServer(GATEWAY_SCRIPT, { ...env, REALTIME_RERANKING: 'false' });
    servers.push(off);
    t = Date.now();
    const { rows, offSources } = await replay(replayOrder(window), seen, on, off, ingestKey);
    return {
      file,
      lines: { trained: Number(trained[0]?.n), window: window.length },
      trainSeconds,
      replaySeconds: (Date.now() - t) / 1000,
      seen: compare(rows.seen),
      unseenLater: compare(rows.unseenLater),
      unseenFirst: compare(rows.unseenFirst),
      offSources,
    };
  } finally {
    await Promise.all(servers.map((s) => stop(s.child)));
    await services.close();
    await dropBenchSchema(config);
    await rm(config.objectStore.dir, { recursive: true, force: true });
  }
}
