// Reads the web dashboard needs beyond serving: model versions with parameters, a customer's
// orders and events, and where a product stands in the popularity lists.
import type { Pool } from 'pg';
import { readHealthHistory, RESULT_KINDS, type HealthSnapshotRow } from '../results';
import type { ModelVersionRow } from './admin-reads';

export interface OrderLineRow {
  productId: string;
  quantity: number;
  unitPrice: number | null;
  eventType: string;
}

export interface CustomerOrderRow {
  id: string;
  orderedAt: Date;
  status: string;
  source: string;
  lines: OrderLineRow[];
}

export interface CustomerEventRow {
  eventId: string;
  eventType: string;
  eventValue: number | null;
  occurredAt: Date;
  source: string;
  productId: string;
}

export interface PopularityRankRow {
  scope: string;
  scopeValue: string | null;
  rank: number;
  score: number;
}

const POPULAR = RESULT_KINDS.popularItems;

export class DashboardReads {
  constructor(private readonly pool: Pool) {}

  healthHistory(days: number): Promise<HealthSnapshotRow[]> {
    return readHealthHistory(this.pool, days);
  }

  async modelVersions(opts: { recipe?: string; first: number }): Promise<ModelVersionRow[]> {
    const { rows } = await this.pool.query<ModelVersionRow>(
      `SELECT id, recipe, engine, status, run_id AS "runId", trained_at AS "trainedAt", metrics, params
         FROM model_versions WHERE ($1::text IS NULL OR recipe = $1)
        ORDER BY id DESC LIMIT $2`,
      [opts.recipe ?? null, opts.first],
    );
    return rows;
  }

  /** Newest first, each with its lines (one query: orders and their lines aggregated). */
  async customerOrders(customerId: string, first: number): Promise<CustomerOrderRow[]> {
    const { rows } = await this.pool.query<CustomerOrderRow>(
      `SELECT o.id, o.ordered_at AS "orderedAt", o.status, o.source,
              coalesce((SELECT json_agg(json_build_object('productId', i.product_id, 'quantity', i.quantity,
                                 'unitPrice', i.unit_price, 'eventType', i.event_type) ORDER BY i.id)
                          FROM order_items i WHERE i.order_id = o.id), '[]'::json) AS lines
         FROM orders o WHERE o.customer_id = $1
        ORDER BY o.ordered_at DESC, o.id DESC LIMIT $2`,
      [customerId, first],
    );
    return rows;
  }

  async customerEvents(customerId: string, first: number): Promise<CustomerEventRow[]> {
    const { rows } = await this.pool.query<CustomerEventRow>(
      `SELECT event_id AS "eventId", event_type AS "eventType", event_value AS "eventValue",
              occurred_at AS "occurredAt", source, product_id AS "productId"
         FROM events WHERE user_id = $1 ORDER BY occurred_at DESC, id DESC LIMIT $2`,
      [customerId, first],
    );
    return rows;
  }

  /** The product's rank in every popularity list of the live batch that holds it, best first. */
  async productPopularity(productId: string): Promise<PopularityRankRow[]> {
    const { rows } = await this.pool.query<PopularityRankRow>(
      `SELECT p.scope, nullif(p.scope_value, '') AS "scopeValue", e.ord::int AS rank,
              coalesce((e.item->>'score')::float8, 0) AS score
         FROM ${POPULAR.table} p, jsonb_array_elements(p.${POPULAR.listColumn}) WITH ORDINALITY e(item, ord)
        WHERE e.item->>'${POPULAR.entryId}' = $1
        ORDER BY e.ord, p.scope, p.scope_value LIMIT 200`,
      [productId],
    );
    return rows;
  }
}
