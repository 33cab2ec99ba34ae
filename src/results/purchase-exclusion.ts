// "Exclude purchased" applied by the loader, the same for both engines. The local engine leaves
// out what a customer bought in the exported interactions, but Personalize's filters only see each
// user's 100 most recent interactions per event type, so a heavy buyer's AWS list can hold
// products they bought long ago. Here, before a batch goes live, every customer's staged list
// loses the products of their whole purchase history in PostgreSQL (order lines and recorded
// events of type purchase, the local engine's target event type); the serving fill rule tops a
// shortened list up from the fallbacks.
import type { PoolClient } from 'pg';
import { RESULT_KINDS } from './result-kinds';

// UNION ALL: the hits' array_agg(DISTINCT) drops repeats, and a UNION sorted the whole purchase
// history (2 M rows at the reference size) to disk first.
const PURCHASES_SQL = `
  SELECT customer_id AS user_id, product_id FROM order_items WHERE event_type = 'purchase'
  UNION ALL
  SELECT user_id, product_id FROM events WHERE event_type = 'purchase'`;

/**
 * Settings for the one statement: the hash of ~4.5 M exploded list entries fits in memory instead
 * of spilling in batches, and JIT (which compiled 41 functions for it) is off. At the reference
 * size the statement ran for over 4 minutes with the defaults (seen in pg_stat_activity); its join,
 * measured alone with these settings on the same tables, took 6.2 s.
 */
const STATEMENT_SETTINGS = { work_mem: '256MB', jit: 'off' } as const;

/** Removes purchased products from the staged customer lists; returns how many lists changed. */
export async function excludePurchasedFromStaging(client: PoolClient, stagingTable: string): Promise<number> {
  const { listColumn, entryId } = RESULT_KINDS.userRecommendations;
  // The exploded lists meet the purchases in one join (a hash join at any size), so only the
  // lists that hold a purchased product are rewritten.
  for (const [name, value] of Object.entries(STATEMENT_SETTINGS)) await client.query(`SET ${name} = '${value}'`);
  try {
    return await runExclusion(client, stagingTable, listColumn, entryId);
  } finally {
    // RESET fails only in a transaction the statement aborted, whose ROLLBACK restores the
    // settings anyway; the statement's own error is the one to report, so that failure is dropped.
    for (const name of Object.keys(STATEMENT_SETTINGS)) await client.query(`RESET ${name}`).catch(() => undefined);
  }
}

async function runExclusion(
  client: PoolClient,
  stagingTable: string,
  listColumn: string,
  entryId: string,
): Promise<number> {
  const r = await client.query(
    `WITH bought AS (${PURCHASES_SQL}),
     hits AS (
       SELECT s.user_id, array_agg(DISTINCT e->>'${entryId}') AS products
         FROM "${stagingTable}" s CROSS JOIN LATERAL jsonb_array_elements(s."${listColumn}") e
         JOIN bought b ON b.user_id = s.user_id AND b.product_id = e->>'${entryId}'
        GROUP BY s.user_id)
     UPDATE "${stagingTable}" s SET "${listColumn}" = (
         SELECT coalesce(jsonb_agg(e ORDER BY o), '[]'::jsonb)
           FROM jsonb_array_elements(s."${listColumn}") WITH ORDINALITY AS u(e, o)
          WHERE NOT (e->>'${entryId}' = ANY(h.products)))
       FROM hits h WHERE h.user_id = s.user_id`,
  );
  return r.rowCount ?? 0;
}
