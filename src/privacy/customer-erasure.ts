// Right to erasure: everything held about a customer goes in one transaction (order lines,
// orders, events, cached recommendations and affinities, their place in every segment, the
// customer row), then their hot-layer keys. What stays is a SHA-256 of the id in
// erased_customers, so data arriving later for them (a sync, a late webhook) is refused and the
// id never comes back into an export or a segment. Shopify's customers/redact and shop/redact,
// the eraseCustomer mutation and `recs customers erase` all come here.
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { PoolClient } from 'pg';
import type { Database } from '../db/database';
import type { Logger } from '../infra/logger';
import { retainedTables } from '../results';

export function customerIdHash(customerId: string): string {
  return createHash('sha256').update(customerId, 'utf8').digest('hex');
}

export interface ErasureDeps {
  db: Database;
  /** The hot layer's Redis; null when there is none (its keys then expire with their batch). */
  redis: Redis | null;
  prefix: string;
  logger: Logger;
}

export interface ErasureCounts {
  customers: number;
  orders: number;
  orderItems: number;
  events: number;
  cachedLists: number;
  segments: number;
  hotKeys: number;
}

const USER_TABLES = ['offline_user_recommendations', 'offline_item_affinity'] as const;
const SEGMENT_TABLE = 'offline_item_segments';

/**
 * The cache tables holding customers: the live ones and the copies kept for experiments pinned to
 * an older model version (src/results/batch-retention.ts), which hold them just the same.
 */
async function customerTables(q: Pick<PoolClient, 'query'>): Promise<{ users: string[]; segments: string[] }> {
  const kept = await retainedTables(q);
  return {
    users: [
      ...USER_TABLES,
      ...kept.filter((t) => t.kind === 'userRecommendations' || t.kind === 'itemAffinity').map((t) => t.table),
    ],
    segments: [SEGMENT_TABLE, ...kept.filter((t) => t.kind === 'itemSegments').map((t) => t.table)],
  };
}
const EXPERIMENT_TABLES = ['experiment_outcomes', 'experiment_exposed_items', 'experiment_subjects'] as const;

/** Erases the given customers inside the caller's transaction; returns what was removed. */
export async function eraseCustomersIn(
  tx: PoolClient,
  customerIds: readonly string[],
  reason: string,
): Promise<Omit<ErasureCounts, 'hotKeys'>> {
  const ids = [...new Set(customerIds)];
  const count = async (sql: string, params: unknown[]) => (await tx.query(sql, params)).rowCount ?? 0;
  // A write already in flight (an event group commit, an order upsert) checked erased_customers
  // before this began; committed after the DELETEs below, its row would stay for the next export.
  // SHARE ROW EXCLUSIVE waits for such writers to commit and holds new ones until this commits,
  // when their erased check sees these ids. Readers are not blocked; erasures are rare.
  await tx.query('LOCK TABLE order_items, orders, events IN SHARE ROW EXCLUSIVE MODE');
  await tx.query(
    `INSERT INTO erased_customers (id_hash, reason) SELECT h, $2 FROM unnest($1::char(64)[]) AS t(h)
     ON CONFLICT (id_hash) DO NOTHING`,
    [ids.map(customerIdHash), reason],
  );
  const orderItems = await count(`DELETE FROM order_items WHERE customer_id = ANY($1::varchar[])`, [ids]);
  const orders = await count(`DELETE FROM orders WHERE customer_id = ANY($1::varchar[])`, [ids]);
  const events = await count(`DELETE FROM events WHERE user_id = ANY($1::varchar[])`, [ids]);
  let cachedLists = 0;
  const tables = await customerTables(tx);
  for (const table of tables.users)
    cachedLists += await count(`DELETE FROM "${table}" WHERE user_id = ANY($1::varchar[])`, [ids]);
  // A segment lists users per product: the erased ones leave every list they are in.
  let segments = 0;
  for (const table of tables.segments)
    segments += await count(
      `UPDATE "${table}" s SET users = (
        SELECT coalesce(jsonb_agg(e ORDER BY o), '[]'::jsonb) FROM jsonb_array_elements(s.users) WITH ORDINALITY AS u(e, o)
         WHERE NOT (e->>'user_id' = ANY($1::varchar[])))
      WHERE EXISTS (SELECT 1 FROM jsonb_array_elements(s.users) e WHERE e->>'user_id' = ANY($1::varchar[]))`,
      [ids],
    );
  // Experiment bookkeeping names customers as subjects (exposures stay counted in the totals only).
  for (const table of EXPERIMENT_TABLES)
    await tx.query(`DELETE FROM ${table} WHERE subject_id = ANY($1::varchar[])`, [ids]);
  const customers = await count(`DELETE FROM customers WHERE id = ANY($1::varchar[])`, [ids]);
  return { customers, orders, orderItems, events, cachedLists, segments };
}

/** Deletes every hot-layer key of these ids, at any batch version. */
export async function deleteCustomerHotKeys(redis: Redis, prefix: string, ids: readonly string[]): Promise<number> {
  let removed = 0;
  for (const id of ids) {
    const pattern = `${prefix}:cache:v*:*:${id.replace(/[*?[\]\\]/g, '\\$&')}`;
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      if (keys.length) removed += await redis.del(...keys);
    } while (cursor !== '0');
  }
  return removed;
}

export async function eraseCustomers(
  deps: ErasureDeps,
  customerIds: readonly string[],
  reason: string,
): Promise<ErasureCounts> {
  const counts = await deps.db.transaction((tx) => eraseCustomersIn(tx, customerIds, reason));
  const hotKeys = deps.redis ? await deleteCustomerHotKeys(deps.redis, deps.prefix, customerIds) : 0;
  deps.logger.info({ erased: customerIds.length, reason, ...counts, hotKeys }, 'customers erased');
  return { ...counts, hotKeys };
}

/** The ids among these that were erased (their data must not be stored again). */
export async function erasedAmong(q: Pick<PoolClient, 'query'>, customerIds: readonly string[]): Promise<Set<string>> {
  if (!customerIds.length) return new Set();
  const byHash = new Map(customerIds.map((id) => [customerIdHash(id), id]));
  const { rows } = await q.query<{ id_hash: string }>(
    `SELECT id_hash FROM erased_customers WHERE id_hash = ANY($1::char(64)[])`,
    [[...byHash.keys()]],
  );
  return new Set(rows.map((r) => byHash.get(r.id_hash)).filter((id): id is string => id !== undefined));
}

/** SQL for the erased_customers hash of a text column (the same digest as customerIdHash). */
export const idHashSql = (col: string): string => `encode(sha256(convert_to(${col}, 'UTF8')), 'hex')`;
const HASH = idHashSql;

/**
 * Removes erased customers from freshly loaded cache tables: a run that exported its datasets
 * before an erasure still has them in its batch output. load-results calls it before publishing.
 */
export async function scrubErasedFromCache(q: Pick<PoolClient, 'query'>): Promise<number> {
  const any = await q.query(`SELECT 1 FROM erased_customers LIMIT 1`);
  if (!any.rowCount) return 0;
  let removed = 0;
  const tables = await customerTables(q);
  for (const table of tables.users) {
    const r = await q.query(
      `DELETE FROM "${table}" WHERE ${HASH('user_id')} IN (SELECT id_hash FROM erased_customers)`,
    );
    removed += r.rowCount ?? 0;
  }
  for (const table of tables.segments) {
    const segments = await q.query(
      `UPDATE "${table}" s SET users = (
        SELECT coalesce(jsonb_agg(e ORDER BY o), '[]'::jsonb) FROM jsonb_array_elements(s.users) WITH ORDINALITY AS u(e, o)
         WHERE ${HASH("e->>'user_id'")} NOT IN (SELECT id_hash FROM erased_customers))
      WHERE EXISTS (SELECT 1 FROM jsonb_array_elements(s.users) e
                     WHERE ${HASH("e->>'user_id'")} IN (SELECT id_hash FROM erased_customers))`,
    );
    removed += segments.rowCount ?? 0;
  }
  return removed;
}
