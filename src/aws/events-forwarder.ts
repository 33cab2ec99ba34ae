// Forwards recorded events to Personalize (PutEvents) so real-time behaviour reaches the model.
// The events table is the outbox: rows are only ever marked forwarded_at (sent) or forward_error
// (Personalize refused them as invalid: quarantined), never removed, so a failed forward is
// retried later and loses nothing. Every forward (a queued job or the outbox drain) holds one
// advisory lock and re-reads the rows under it, so two forwarders never send the same event, and
// each user's events go in time order: after a failed batch, that user's later events wait.
// (A crash between PutEvents' success and the mark's commit can send one batch again: the only
// window, since Personalize offers no idempotent PutEvents.)
import { PutEventsCommand, type PersonalizeEventsClient } from '@aws-sdk/client-personalize-events';
import type { Config } from '../config/config';
import type { Database } from '../db/database';
import type { Logger } from '../infra/logger';
import { awsErrorName, callAws, DEFAULT_RETRY, retryPolicyFrom, type RetryPolicy } from '../aws-sdk/aws-call';
import { createPersonalizeEventsClient } from '../aws-sdk/aws-clients';

export interface ForwardDeps {
  db: Database;
  /** Absent (like trackingId) when forwarding is not configured. */
  client?: PersonalizeEventsClient;
  trackingId?: string;
  logger?: Logger;
  retry?: RetryPolicy;
}

export interface ForwardResult {
  forwarded: number;
  alreadyForwarded: number;
  skipped: number; // no tracking id configured
  calls: number;
  /** Refused by Personalize as invalid: marked forward_error, not retried. */
  quarantined: number;
}

const MAX_EVENTS_PER_CALL = 10;
/** PutEvents' recommendationId is 1-40 characters; recordEvents keeps up to 255 for attribution. */
export const MAX_PUT_EVENTS_RECOMMENDATION_ID = 40;
const FORWARD_LOCK = 724_911_012;

type EventRow = Awaited<ReturnType<Database['prisma']['event']['findMany']>>[number];

function putEvent(e: EventRow) {
  return {
    eventId: e.eventId,
    eventType: e.eventType,
    eventValue: e.eventValue ?? undefined,
    itemId: e.productId,
    // A longer id would make Personalize refuse the whole call: it is left out of the forward
    // (the events row keeps it for this service's own attribution).
    recommendationId:
      e.recommendationId && e.recommendationId.length <= MAX_PUT_EVENTS_RECOMMENDATION_ID
        ? e.recommendationId
        : undefined,
    sentAt: e.occurredAt,
  };
}

/** Forwards the given events (by event_id) that are not forwarded yet; throws if a call fails for good. */
export async function forwardEvents(deps: ForwardDeps, eventIds: string[]): Promise<ForwardResult> {
  const result: ForwardResult = { forwarded: 0, alreadyForwarded: 0, skipped: 0, calls: 0, quarantined: 0 };
  if (eventIds.length === 0) return result;
  const { client, trackingId } = deps;
  if (!trackingId || !client) {
    result.skipped = eventIds.length;
    return result;
  }
  return deps.db.transaction(async (lock) => {
    await lock.query('SELECT pg_advisory_xact_lock($1)', [FORWARD_LOCK]);
    return forwardLocked({ ...deps, client, trackingId }, eventIds, result);
  });
}

async function forwardLocked(
  deps: ForwardDeps & { client: PersonalizeEventsClient; trackingId: string },
  eventIds: string[],
  result: ForwardResult,
): Promise<ForwardResult> {
  const rows = await deps.db.prisma.event.findMany({
    where: { eventId: { in: eventIds } },
    orderBy: [{ occurredAt: 'asc' }, { id: 'asc' }],
  });
  const pending = rows.filter((r) => !r.forwardedAt && !r.forwardError);
  result.alreadyForwarded = rows.length - pending.length;

  // PutEvents takes one user and one session per call.
  const groups = new Map<string, EventRow[]>();
  for (const row of pending) {
    const key = JSON.stringify([row.userId, row.sessionId ?? row.userId]);
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  const failures: string[] = [];
  for (const [key, group] of groups) {
    const [userId, sessionId] = JSON.parse(key) as [string, string];
    for (let i = 0; i < group.length; i += MAX_EVENTS_PER_CALL) {
      const batch = group.slice(i, i + MAX_EVENTS_PER_CALL);
      try {
        await sendBatch(deps, result, userId, sessionId, batch);
      } catch (err) {
        // This user's later events wait behind the failed ones (order); other users go on.
        failures.push(`${group.length - i} events of user ${userId}: ${(err as Error).message}`);
        deps.logger?.warn(
          { userId, events: group.length - i, err: (err as Error).message },
          'PutEvents failed; events kept for retry',
        );
        break;
      }
    }
  }
  if (failures.length) {
    throw new Error(
      `forwarding to Personalize failed for ${failures.length} batch(es) (${result.forwarded} events forwarded, the rest kept): ${failures.join('; ')}`,
    );
  }
  return result;
}

async function sendBatch(
  deps: ForwardDeps & { client: PersonalizeEventsClient; trackingId: string },
  result: ForwardResult,
  userId: string,
  sessionId: string,
  batch: EventRow[],
): Promise<void> {
  try {
    result.calls++;
    await callAws(
      'personalize:PutEvents',
      () =>
        deps.client.send(
          new PutEventsCommand({ trackingId: deps.trackingId, userId, sessionId, eventList: batch.map(putEvent) }),
        ),
      deps.retry ?? DEFAULT_RETRY,
    );
  } catch (err) {
    if (awsErrorName(err) !== 'InvalidInputException') throw err;
    // Refused as invalid: retrying the same call can never succeed. One bad event must not take
    // the others with it, so a batch is split; an event refused on its own is quarantined.
    if (batch.length > 1) {
      for (const e of batch) await sendBatch(deps, result, userId, sessionId, [e]);
      return;
    }
    await deps.db.prisma.event.updateMany({
      where: { eventId: { in: batch.map((e) => e.eventId) } },
      data: { forwardError: `Personalize refused it as invalid: ${(err as Error).message}` },
    });
    result.quarantined += batch.length;
    deps.logger?.error({ eventId: batch[0]?.eventId, err: (err as Error).message }, 'event quarantined');
    return;
  }
  await deps.db.prisma.event.updateMany({
    where: { eventId: { in: batch.map((e) => e.eventId) } },
    data: { forwardedAt: new Date() },
  });
  result.forwarded += batch.length;
}

/**
 * The outbox drain: every event still waiting (its forward could not be queued, or failed),
 * oldest first, in pages; stops at the first page that fails (its events wait for the next drain).
 */
export async function forwardOutbox(deps: ForwardDeps, pageSize = 500): Promise<ForwardResult> {
  const total: ForwardResult = { forwarded: 0, alreadyForwarded: 0, skipped: 0, calls: 0, quarantined: 0 };
  for (;;) {
    const page = await deps.db.prisma.event.findMany({
      where: { forwardedAt: null, forwardError: null },
      orderBy: [{ occurredAt: 'asc' }, { id: 'asc' }],
      take: pageSize,
      select: { eventId: true },
    });
    if (page.length === 0) return total;
    const r = await forwardEvents(
      deps,
      page.map((e) => e.eventId),
    );
    for (const k of ['forwarded', 'alreadyForwarded', 'skipped', 'calls', 'quarantined'] as const) total[k] += r[k];
    // Sent or quarantined events leave the outbox, so the next page starts after them.
    if (r.skipped || page.length < pageSize || r.forwarded + r.quarantined === 0) return total;
  }
}

/** The forwarder as the 'events-forward' worker builds it; a no-op until PERSONALIZE_TRACKING_ID is set. */
export function createEventsForwarder(
  config: Pick<Config, 'aws'>,
  db: Database,
  logger?: Logger,
): (eventIds: string[]) => Promise<ForwardResult> {
  let client: PersonalizeEventsClient | undefined;
  return (eventIds) => {
    if (!config.aws.trackingId) return forwardEvents({ db }, eventIds);
    client ??= createPersonalizeEventsClient(config);
    return forwardEvents(
      { db, client, trackingId: config.aws.trackingId, logger, retry: retryPolicyFrom(config.aws.retryAttempts) },
      eventIds,
    );
  };
}

/** The outbox drain as the scheduler process runs it; null until PERSONALIZE_TRACKING_ID is set. */
export function createOutboxDrain(
  config: Pick<Config, 'aws'>,
  db: Database,
  logger?: Logger,
): (() => Promise<ForwardResult>) | null {
  const trackingId = config.aws.trackingId;
  if (!trackingId) return null;
  let client: PersonalizeEventsClient | undefined;
  return () => {
    client ??= createPersonalizeEventsClient(config);
    return forwardOutbox({ db, client, trackingId, logger, retry: retryPolicyFrom(config.aws.retryAttempts) });
  };
}
