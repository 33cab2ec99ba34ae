// Counting helpers for set-based imports: how many rows a statement touched, and for upserts how
// many were new (xmax = 0 marks a freshly inserted row) versus updated or already present.
import type { PoolClient } from 'pg';

export interface NewAndPresent {
  total: number;
  new: number;
  alreadyPresent: number;
}

export function newAndPresent(total: number, inserted: number): NewAndPresent {
  return { total, new: inserted, alreadyPresent: total - inserted };
}

export async function scalar(client: PoolClient, sql: string, params: unknown[] = []): Promise<number> {
  // COUNT(*) is a bigint, which pg returns as a string.
  const { rows } = await client.query<{ n: number | string }>(sql, params);
  return Number(rows[0]?.n ?? 0);
}

export async function rowCount(client: PoolClient, sql: string, params: unknown[] = []): Promise<number> {
  return (await client.query(sql, params)).rowCount ?? 0;
}

/**
 * Runs an upsert that ends in `RETURNING (xmax = 0) AS inserted` (rows skipped by the DO UPDATE's
 * WHERE return nothing) and counts against `totalSql`, which gives the number of distinct keys.
 */
export async function upsertCounts(
  client: PoolClient,
  upsert: string,
  totalSql: string,
  params: unknown[] = [],
): Promise<NewAndPresent & { updated: number }> {
  const { rows } = await client.query<{ inserted: number; updated: number }>(
    `WITH up AS (${upsert}) SELECT count(*) FILTER (WHERE inserted)::int AS inserted, count(*) FILTER (WHERE NOT inserted)::int AS updated FROM up`,
    params,
  );
  const total = await scalar(client, totalSql);
  const inserted = rows[0]?.inserted ?? 0;
  return { ...newAndPresent(total, inserted), updated: rows[0]?.updated ?? 0 };
}
