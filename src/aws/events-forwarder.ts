// Forwards recorded events to Personalize (PutEvents) so real-time behaviour reaches the model.
// The events table is the source of truth: rows are only ever marked forwarded_at, never removed,
// so a failed forward is retried later and loses nothing.
import { PutEventsCommand, type PersonalizeEventsClient } from '@aws-sdk/client-personalize-events';
import type { Config } from '../config/config';
import type { Database } from '../db/database';
import type { Logger } from '../infra/logger';
import { callAws, DEFAULT_RETRY, retryPolicyFrom, type RetryPolicy } from '../aws-sdk/aws-call';
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
}

const MAX_EVENTS_PER_CALL = 10;

/** Forwards the given events (by event_id) that are not forwarded yet; throws if a call fails for good. */
export async function forwardEvents(deps: ForwardDeps, eventIds: string[]): Promise<ForwardResult> {
  const result: ForwardResult = { forwarded: 0, alreadyForwarded: 0, skipped: 0, calls: 0 };
  if (eventIds.length === 0) return result;
  const { client, trackingId } = deps;
  if (!trackingId || !client) {
    result.skipped = eventIds.length;
    return result;
  }
  const rows = await deps.db.prisma.event.findMany({
    where: { eventId: { in: eventIds } },
    orderBy: { occurredAt: 'asc' },
  });
  const pending = rows.filter((r) => !r.forwardedAt);
  result.alreadyForwarded = rows.length - pending.length;

  // PutEvents takes one user and one session per call.
  const groups = new Map<string, typeof pending>();
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
        result.calls++;
        await callAws(
          'personalize:PutEvents',
          () =>
            client.send(
              new PutEventsCommand({
                trackingId,
                userId,
                sessionId,
                eventList: batch.map((e) => ({
                  eventId: e.eventId,
                  eventType: e.eventType,
                  eventValue: e.eventValue ?? undefined,
                  itemId: e.productId,
                  recommendationId: e.recommendationId ?? undefined,
                  sentAt: e.occurredAt,
                })),
              }),
            ),
          deps.retry ?? DEFAULT_RETRY,
        );
        await deps.db.prisma.event.updateMany({
          where: { eventId: { in: batch.map((e) => e.eventId) } },
          data: { forwardedAt: new Date() },
        });
        result.forwarded += batch.length;
      } catch (err) {
        // Keep going with the other users; the failed events stay unforwarded for the next attempt.
        failures.push(`${batch.length} events of user ${userId}: ${(err as Error).message}`);
        deps.logger?.warn(
          { userId, events: batch.length, err: (err as Error).message },
          'PutEvents failed; events kept for retry',
        );
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
