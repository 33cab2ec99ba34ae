// Everything held about one customer, as one JSON document: what a store owner sends a customer
// who asked for their data (Shopify's customers/data_request, or any request of access). That
// includes the lists kept for experiments: a variant pinned to an older model version serves
// them from that batch's copies (`<table>_b<version>`, src/results/batch-retention.ts), which the
// export reads as it reads the live tables, and the experiments they were exposed in.
import type { Pool } from 'pg';
import { pinnedModelVersion, type Variant } from '../experiments';
import { batchOfModelVersion, retainedTables } from '../results';

/** The customer's lists in one batch's cache tables (live or kept). */
interface HeldLists {
  recommendations: unknown;
  itemAffinities: unknown;
  segments: string[];
}

export interface CustomerExperiment {
  experimentId: number;
  experiment: string;
  variant: string;
  exposures: number;
  firstExposedAt: Date;
  lastExposedAt: Date;
  /** The kept batch the variant serves them from; null: the live tables. */
  servedBatchVersion: number | null;
}

export interface CustomerDataExport extends HeldLists {
  customerId: string;
  customer: Record<string, unknown> | null;
  orders: Record<string, unknown>[];
  orderItems: Record<string, unknown>[];
  events: Record<string, unknown>[];
  /** Their lists in the batches kept for pinned variants (only batches holding any). */
  keptBatches: (HeldLists & { batchVersion: number })[];
  experiments: CustomerExperiment[];
}

type Tables = { users: string; affinity: string; segments: string };
const LIVE: Tables = {
  users: 'offline_user_recommendations',
  affinity: 'offline_item_affinity',
  segments: 'offline_item_segments',
};

async function listsIn(pool: Pool, t: Tables, customerId: string): Promise<HeldLists> {
  const rows = async (sql: string) => (await pool.query<Record<string, unknown>>(sql, [customerId])).rows;
  const [recs, affinities, segments] = await Promise.all([
    rows(`SELECT recommendations FROM "${t.users}" WHERE user_id = $1`),
    rows(`SELECT item_affinities FROM "${t.affinity}" WHERE user_id = $1`),
    rows(
      `SELECT product_id FROM "${t.segments}"
        WHERE EXISTS (SELECT 1 FROM jsonb_array_elements(users) e WHERE e->>'user_id' = $1) ORDER BY product_id`,
    ),
  ]);
  return {
    recommendations: recs[0]?.recommendations ?? null,
    itemAffinities: affinities[0]?.item_affinities ?? null,
    segments: segments.map((s) => String(s.product_id)),
  };
}

/** Each kept batch's copies of the three tables that name customers. */
async function keptTables(pool: Pool): Promise<Map<number, Partial<Tables>>> {
  const out = new Map<number, Partial<Tables>>();
  for (const t of await retainedTables(pool)) {
    const slot =
      t.kind === 'userRecommendations'
        ? 'users'
        : t.kind === 'itemAffinity'
          ? 'affinity'
          : t.kind === 'itemSegments'
            ? 'segments'
            : null;
    if (!slot) continue;
    const tables = out.get(t.version) ?? {};
    tables[slot] = t.table;
    out.set(t.version, tables);
  }
  return out;
}

async function experimentsOf(pool: Pool, customerId: string): Promise<CustomerExperiment[]> {
  const { rows } = await pool.query<{
    id: number;
    name: string;
    variants: Variant[];
    variant: string;
    exposures: string;
    first_exposed_at: Date;
    last_exposed_at: Date;
  }>(
    `SELECT x.id, x.name, x.variants, s.variant, s.exposures, s.first_exposed_at, s.last_exposed_at
       FROM experiment_subjects s JOIN experiments x ON x.id = s.experiment_id
      WHERE s.subject_id = $1 ORDER BY x.id`,
    [customerId],
  );
  const out: CustomerExperiment[] = [];
  for (const r of rows) {
    const pinned = r.variants.find((v) => v.key === r.variant);
    const model = pinned ? pinnedModelVersion(pinned) : null;
    const batch = model === null ? null : await batchOfModelVersion(pool, model);
    out.push({
      experimentId: r.id,
      experiment: r.name,
      variant: r.variant,
      exposures: Number(r.exposures),
      firstExposedAt: r.first_exposed_at,
      lastExposedAt: r.last_exposed_at,
      servedBatchVersion: batch?.retained ? batch.version : null,
    });
  }
  return out;
}

export async function exportCustomerData(pool: Pool, customerId: string): Promise<CustomerDataExport> {
  const rows = async (sql: string) => (await pool.query<Record<string, unknown>>(sql, [customerId])).rows;
  const [customer, orders, orderItems, events, live, kept, experiments] = await Promise.all([
    rows(`SELECT id, city, province, created_at, updated_at FROM customers WHERE id = $1`),
    rows(`SELECT id, source, status, ordered_at, updated_at FROM orders WHERE customer_id = $1 ORDER BY ordered_at`),
    rows(
      `SELECT order_id, product_id, quantity, unit_price, event_type, occurred_at FROM order_items
        WHERE customer_id = $1 ORDER BY occurred_at, line_key`,
    ),
    rows(
      `SELECT event_id, product_id, event_type, event_value, occurred_at, source FROM events
        WHERE user_id = $1 ORDER BY occurred_at`,
    ),
    listsIn(pool, LIVE, customerId),
    keptTables(pool),
    experimentsOf(pool, customerId),
  ]);
  const keptBatches: CustomerDataExport['keptBatches'] = [];
  for (const [batchVersion, tables] of [...kept].sort((a, b) => a[0] - b[0])) {
    // A batch is kept whole (all its tables) or not at all; a partial set is a copy being dropped.
    if (!tables.users || !tables.affinity || !tables.segments) continue;
    const held = await listsIn(
      pool,
      { users: tables.users, affinity: tables.affinity, segments: tables.segments },
      customerId,
    );
    if (held.recommendations !== null || held.itemAffinities !== null || held.segments.length)
      keptBatches.push({ batchVersion, ...held });
  }
  return {
    customerId,
    customer: customer[0] ?? null,
    orders,
    orderItems,
    events,
    ...live,
    keptBatches,
    experiments,
  };
}
