// Outcomes of an experiment, attributed in PostgreSQL, set-based and idempotent (each source row
// becomes at most one outcome: the primary key is (experiment, source_ref)):
// - events whose recommendationId names the experiment (e<id>.<variant>.<uuid>): the variant is
//   read from the id; the subject is the customer when assigned, else the event's session.
// - order lines carrying a recommendationId that names the experiment (a Shopify line item property
//   or cart attribute, order_items.recommendation_id): the variant is read from the id, whatever the
//   window, labelled `recommendation_id`. This runs first and wins over a window label already
//   given to the same line (the id arrived with a later orders/updated).
// - the other order lines (Shopify webhooks and sync, imports: every writer of order_items) of assigned
//   customers, from their first exposure to `attributionWindowDays` after their last one. Each is
//   labelled `last_touch` when the product was shown to the customer within the window before the
//   order, else `customer` (any purchase of an exposed customer, which is what a holdout is
//   compared on). Revenue is the line's value: quantity x unit price.
import type { Pool } from 'pg';
import type { Experiment } from './experiment-types';
import { RECOMMENDATION_ID_SQL_PATTERN } from './recommendation-id';

export interface AttributionCounts {
  events: number;
  orderLines: number;
}

export async function attributeOutcomes(pool: Pool, x: Experiment): Promise<AttributionCounts> {
  if (!x.startedAt) return { events: 0, orderLines: 0 };
  const events = await pool.query(
    `INSERT INTO experiment_outcomes (experiment_id, source_ref, variant, subject_id, kind, product_id, value, attribution, occurred_at)
     SELECT $1, 'event:' || e.event_id, substring(e.recommendation_id from $3), COALESCE(s.subject_id, e.session_id, e.user_id),
            e.event_type, e.product_id, COALESCE(e.event_value, 0), 'recommendation_id', e.occurred_at
       FROM events e
       LEFT JOIN experiment_subjects s ON s.experiment_id = $1 AND s.subject_id = e.user_id
      WHERE e.recommendation_id LIKE $2 AND e.recommendation_id ~ $4
     ON CONFLICT (experiment_id, source_ref) DO NOTHING`,
    [x.id, `e${x.id}.%`, `^e[0-9]+\\.([a-z0-9_]{1,20})\\.`, RECOMMENDATION_ID_SQL_PATTERN],
  );
  const exact = await pool.query(
    `INSERT INTO experiment_outcomes (experiment_id, source_ref, variant, subject_id, kind, product_id, value, attribution, occurred_at)
     SELECT $1, 'line:' || oi.line_key, substring(oi.recommendation_id from $3), oi.customer_id, 'order', oi.product_id,
            oi.quantity * COALESCE(oi.unit_price, 0), 'recommendation_id', oi.occurred_at
       FROM order_items oi
      WHERE oi.recommendation_id LIKE $2 AND oi.recommendation_id ~ $4 AND oi.event_type = 'purchase'
     ON CONFLICT (experiment_id, source_ref) DO UPDATE SET variant = EXCLUDED.variant, attribution = EXCLUDED.attribution
      WHERE experiment_outcomes.attribution <> 'recommendation_id'`,
    [x.id, `e${x.id}.%`, `^e[0-9]+\\.([a-z0-9_]{1,20})\\.`, RECOMMENDATION_ID_SQL_PATTERN],
  );
  const lines = await pool.query(
    `INSERT INTO experiment_outcomes (experiment_id, source_ref, variant, subject_id, kind, product_id, value, attribution, occurred_at)
     SELECT $1, 'line:' || oi.line_key, s.variant, s.subject_id, 'order', oi.product_id,
            oi.quantity * COALESCE(oi.unit_price, 0),
            CASE WHEN EXISTS (
              SELECT 1 FROM experiment_exposed_items x
               WHERE x.experiment_id = $1 AND x.subject_id = s.subject_id AND x.product_id = oi.product_id
                 AND x.last_exposed_at >= oi.occurred_at - make_interval(days => $2)
            ) THEN 'last_touch' ELSE 'customer' END,
            oi.occurred_at
       FROM experiment_subjects s
       JOIN order_items oi ON oi.customer_id = s.subject_id
      WHERE s.experiment_id = $1 AND oi.event_type = 'purchase'
        AND NOT (oi.recommendation_id IS NOT NULL AND oi.recommendation_id LIKE $3 AND oi.recommendation_id ~ $4)
        AND oi.occurred_at >= s.first_exposed_at
        AND oi.occurred_at <= s.last_exposed_at + make_interval(days => $2)
     ON CONFLICT (experiment_id, source_ref) DO NOTHING`,
    [x.id, x.attributionWindowDays, `e${x.id}.%`, RECOMMENDATION_ID_SQL_PATTERN],
  );
  return { events: events.rowCount ?? 0, orderLines: (exact.rowCount ?? 0) + (lines.rowCount ?? 0) };
}
