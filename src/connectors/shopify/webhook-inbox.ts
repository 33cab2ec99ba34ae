// The webhook inbox: a delivery's row in webhook_deliveries is its dedup key and, until it is
// processed, its raw body. The router writes both in one statement before answering, so a 200
// means the work is in PostgreSQL; the queue job is only the trigger. Whatever Redis does, the
// sweep finds stored deliveries whose job is missing and adds it again; a delivery that failed
// for good is processed again when Shopify retries it or an admin replays it.
import type { Pool } from 'pg';
import type { Logger } from '../../infra/logger';
import type { WebhookJobData } from '../../queues/registry';
import type { WebhookQueue } from '../../queues/webhook-queue';

/**
 * received: stored, its job not known to be queued; queued: its job was added; retrying: an
 * attempt failed and a later one is scheduled; failed: every attempt failed (alerted, replayable);
 * processed / ignored: done.
 */
export type DeliveryStatus = 'received' | 'queued' | 'retrying' | 'failed' | 'processed' | 'ignored';
/** Work is owed for these: each must have a queue job, which the sweep makes sure of. */
export const OWED_STATUSES: readonly DeliveryStatus[] = ['received', 'queued', 'retrying'];

/** What the router answers Shopify, in its body's `status`. */
export type ReceiveOutcome =
  /** Stored and queued. */
  | 'queued'
  /** Stored; the queue did not answer in time, so the sweep will queue it. */
  | 'accepted'
  /** A retry of a delivery stored earlier whose work is still owed (a retry of it may be run now). */
  | 'pending'
  /** A retry of a delivery whose attempts had all failed: stored again and queued anew. */
  | 'requeued'
  /** Already processed. */
  | 'duplicate'
  /** A topic we do not handle, recorded so a retry is a duplicate. */
  | 'ignored';

export interface InboxDeps {
  pool: Pool;
  queue: WebhookQueue;
  logger: Logger;
}

export interface IncomingDelivery {
  webhookId: string;
  topic: string;
  shop: string | null;
  body: string;
  handled: boolean;
}

interface DeliveryRef {
  webhook_id: string;
  topic: string;
  shop: string | null;
  round: number;
}

const jobData = (r: DeliveryRef): WebhookJobData => ({
  webhookId: r.webhook_id,
  topic: r.topic,
  shop: r.shop,
  round: r.round,
});

/** Adds the job, then notes it was queued; false when the queue did not take it (the sweep will). */
async function enqueue(deps: InboxDeps, ref: DeliveryRef): Promise<boolean> {
  try {
    await deps.queue.add(jobData(ref));
  } catch (err) {
    deps.logger.warn(
      { webhookId: ref.webhook_id, topic: ref.topic, err: (err as Error).message },
      'shopify webhook stored but not queued; the inbox sweep will queue it',
    );
    return false;
  }
  // Only a row still 'received' in this round: processing may have finished already.
  await deps.pool.query(
    `UPDATE webhook_deliveries SET status = 'queued', updated_at = now()
      WHERE webhook_id = $1 AND round = $2 AND status = 'received'`,
    [ref.webhook_id, ref.round],
  );
  return true;
}

/** Stores a verified delivery (or takes Shopify's retry of a stored one) and queues its work. */
export async function receiveDelivery(deps: InboxDeps, d: IncomingDelivery): Promise<ReceiveOutcome> {
  // One statement: a new delivery is inserted with its body; a failed one is stored again in a
  // new round; any other existing row is left alone and returns nothing.
  const { rows } = await deps.pool.query<DeliveryRef & { inserted: boolean }>(
    `INSERT INTO webhook_deliveries (webhook_id, topic, shop, status, body) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (webhook_id) DO UPDATE SET status = 'received', body = EXCLUDED.body,
       round = webhook_deliveries.round + 1, updated_at = now()
       WHERE webhook_deliveries.status = 'failed'
     RETURNING webhook_id, topic, shop, round, (xmax = 0) AS inserted`,
    [d.webhookId, d.topic, d.shop, d.handled ? 'received' : 'ignored', d.handled ? d.body : null],
  );
  const stored = rows[0];
  if (stored) {
    if (!d.handled && stored.inserted) return 'ignored';
    const queued = await enqueue(deps, stored);
    if (!stored.inserted) return 'requeued';
    return queued ? 'queued' : 'accepted';
  }
  const existing = await deps.pool.query<DeliveryRef & { status: DeliveryStatus }>(
    `SELECT webhook_id, topic, shop, round, status FROM webhook_deliveries WHERE webhook_id = $1`,
    [d.webhookId],
  );
  const row = existing.rows[0];
  if (!row || !OWED_STATUSES.includes(row.status)) return 'duplicate';
  // Shopify retried a delivery we still owe: make sure its job exists, and run a waiting retry now.
  if (await enqueue(deps, row)) {
    await deps.queue.promote(jobData(row)).catch((err: unknown) => {
      deps.logger.warn({ webhookId: row.webhook_id, err: (err as Error).message }, 'could not promote webhook retry');
    });
  }
  return 'pending';
}

export interface SweepResult {
  checked: number;
  enqueued: number;
  markedFailed: number;
}

/**
 * Finds owed deliveries older than `olderThanMs` and makes sure each has its job: a missing job
 * (Redis was down or lost its data) is added again; a job that failed without its row saying so
 * (PostgreSQL was down when it failed) marks the row failed, so it is alerted and replayable.
 */
export async function sweepWebhookInbox(
  deps: InboxDeps,
  opts: { olderThanMs: number; limit?: number },
): Promise<SweepResult> {
  const { rows } = await deps.pool.query<DeliveryRef>(
    `SELECT webhook_id, topic, shop, round FROM webhook_deliveries
      WHERE status = ANY($1::varchar[]) AND updated_at <= now() - make_interval(secs => $2::float8 / 1000)
      ORDER BY updated_at LIMIT $3`,
    [OWED_STATUSES, opts.olderThanMs, opts.limit ?? 500],
  );
  const result: SweepResult = { checked: rows.length, enqueued: 0, markedFailed: 0 };
  for (const row of rows) {
    const state = await deps.queue.state(jobData(row));
    if (state === 'missing') {
      if (await enqueue(deps, row)) result.enqueued += 1;
    } else if (state === 'failed') {
      const marked = await deps.pool.query(
        `UPDATE webhook_deliveries SET status = 'failed', updated_at = now(),
           error = COALESCE(error, 'its queue job failed without recording why')
          WHERE webhook_id = $1 AND round = $2 AND status = ANY($3::varchar[])`,
        [row.webhook_id, row.round, OWED_STATUSES],
      );
      result.markedFailed += marked.rowCount ?? 0;
    }
  }
  if (result.enqueued || result.markedFailed) deps.logger.info(result, 'webhook inbox sweep');
  return result;
}

/** Queues failed deliveries again, each in a new round: the given ids, or every failed one. */
export async function replayWebhooks(
  deps: InboxDeps,
  which: { ids: string[] } | { allFailed: true },
): Promise<string[]> {
  const ids = 'ids' in which ? which.ids : null;
  const { rows } = await deps.pool.query<DeliveryRef>(
    `UPDATE webhook_deliveries SET status = 'received', round = round + 1, updated_at = now()
      WHERE status = 'failed' AND body IS NOT NULL AND ($1::varchar[] IS NULL OR webhook_id = ANY($1::varchar[]))
      RETURNING webhook_id, topic, shop, round`,
    [ids],
  );
  for (const row of rows) await enqueue(deps, row);
  if (rows.length) deps.logger.info({ replayed: rows.length }, 'shopify webhooks replayed');
  return rows.map((r) => r.webhook_id);
}

export interface WebhookCounts {
  /** Stored, not yet processed, no attempt failed yet. */
  pending: number;
  /** An attempt failed; a later one is scheduled. */
  retrying: number;
  /** Every attempt failed: needs a replay (alerted). */
  failed: number;
  /** Seconds since the oldest owed delivery was received; null when none is owed. */
  oldestOwedSeconds: number | null;
}

export async function webhookCounts(pool: Pool): Promise<WebhookCounts> {
  const { rows } = await pool.query<WebhookCounts>(
    `SELECT count(*) FILTER (WHERE status IN ('received', 'queued'))::int AS pending,
            count(*) FILTER (WHERE status = 'retrying')::int AS retrying,
            count(*) FILTER (WHERE status = 'failed')::int AS failed,
            extract(epoch FROM now() - min(received_at) FILTER (WHERE status = ANY($1::varchar[])))::float8
              AS "oldestOwedSeconds"
       FROM webhook_deliveries WHERE status = ANY($2::varchar[])`,
    [OWED_STATUSES, [...OWED_STATUSES, 'failed']],
  );
  return rows[0] ?? { pending: 0, retrying: 0, failed: 0, oldestOwedSeconds: null };
}
