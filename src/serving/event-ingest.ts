// recordEvents: validates each event, stores the valid ones (event_id unique => duplicates are
// skipped), and queues them for forwarding to AWS Personalize when a tracking id is configured.
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import type { Logger } from '../infra/logger';
import type { EventInput, RecordEventsPayload } from '../schema/__generated__/schema-types';
import type { EventsForwardJobData } from '../queues/registry';
import { EventGroupCommit, type StoredEvent } from './event-group-commit';
import { activityOf, type RecentActivity } from './recent-activity';

export const MAX_EVENTS_PER_CALL = 1_000;
const MAX_ID = 255;
const EVENT_TYPE = /^[A-Za-z0-9_-]{1,50}$/;
const DAY_MS = 86_400_000;
export const ERASED_REASON = 'userId belongs to an erased customer (right to erasure): the event is not stored';

/** What recordEvents answers, less the call-level userErrors the resolver adds. */
export type RecordEventsResult = Omit<RecordEventsPayload, 'userErrors'>;

export type EnqueueForward = (data: EventsForwardJobData) => Promise<void>;

type ValidEvent = StoredEvent;

export function parseTimestamp(raw: string): Date | null {
  const text = raw.trim();
  const ms = /^\d{1,12}(\.\d+)?$/.test(text) ? Number(text) * 1000 : Date.parse(text);
  return Number.isFinite(ms) ? new Date(ms) : null;
}

export function validateEvent(e: EventInput, now: Date): ValidEvent | string {
  function id(name: string, v: string | null | undefined, required: true): string;
  function id(name: string, v: string | null | undefined, required: boolean): string | null;
  function id(name: string, v: string | null | undefined, required: boolean): string | null {
    if (v == null || v === '') {
      if (required) throw new Error(`${name} is required`);
      return null;
    }
    if (v.trim() !== v || v.length > MAX_ID)
      throw new Error(`${name} must be 1-${MAX_ID} characters without surrounding spaces`);
    return v;
  }
  try {
    const userId = id('userId', e.userId, true);
    const productId = id('productId', e.productId, true);
    if (!EVENT_TYPE.test(e.eventType)) return 'eventType must be 1-50 letters, digits, "_" or "-"';
    if (e.eventValue != null && !Number.isFinite(e.eventValue)) return 'eventValue must be a finite number';
    let occurredAt = now;
    if (e.timestamp != null) {
      const parsed = parseTimestamp(e.timestamp);
      if (!parsed) return `timestamp "${e.timestamp.slice(0, 40)}" is neither ISO-8601 nor Unix seconds`;
      if (parsed.getTime() > now.getTime() + DAY_MS) return 'timestamp is more than 1 day in the future';
      if (parsed.getUTCFullYear() < 2000) return 'timestamp is before the year 2000';
      occurredAt = parsed;
    }
    return {
      eventId: id('eventId', e.eventId, false) ?? randomUUID(),
      userId,
      productId,
      eventType: e.eventType,
      eventValue: e.eventValue ?? null,
      occurredAt,
      recommendationId: id('recommendationId', e.recommendationId, false),
      sessionId: id('sessionId', e.sessionId, false),
    };
  } catch (err) {
    return (err as Error).message;
  }
}

export class EventIngest {
  private readonly writer: EventGroupCommit;

  /** `groupWindowMs`: how long a write waits for other calls' events to share its INSERT (event-group-commit.ts). */
  constructor(
    pool: Pool,
    private readonly enqueueForward: EnqueueForward | null,
    private readonly logger: Logger,
    groupWindowMs = 1,
    /** Recent-activity state for re-ranking (REALTIME_RERANKING); written before the answer. */
    private readonly activity: RecentActivity | null = null,
  ) {
    this.writer = new EventGroupCommit(pool, groupWindowMs);
  }

  async record(events: EventInput[], now = new Date()): Promise<RecordEventsResult> {
    const rejected: RecordEventsResult['rejected'] = [];
    const valid: ValidEvent[] = [];
    const indexOf = new Map<string, number>();
    let duplicates = 0;
    events.forEach((e, index) => {
      const result = validateEvent(e, now);
      if (typeof result === 'string') {
        rejected.push({ index, eventId: e.eventId ?? null, reason: result });
      } else if (indexOf.has(result.eventId)) {
        duplicates += 1;
      } else {
        indexOf.set(result.eventId, index);
        valid.push(result);
      }
    });
    // Answered only after the INSERT holding these events has committed (shared with other calls).
    const { stored, erased } = valid.length ? await this.writer.write(valid) : { stored: [], erased: [] };
    // Right to erasure: nothing more is stored about an erased customer (src/privacy).
    for (const id of erased) {
      const index = indexOf.get(id) ?? -1;
      rejected.push({ index, eventId: events[index]?.eventId ?? null, reason: ERASED_REASON });
    }
    if (erased.length) rejected.sort((x, y) => x.index - y.index);
    duplicates += valid.length - stored.length - erased.length;
    if (stored.length && this.activity) {
      // Before the answer: the caller's next request, on any gateway, sees these events.
      const ids = new Set(stored);
      await this.activity.recordLogged(activityOf(valid.filter((e) => ids.has(e.eventId))));
    }
    let forwarded = false;
    if (stored.length && this.enqueueForward) {
      // The events are stored either way; when the queue cannot take them they stay with
      // forwarded_at NULL for the forwarder to pick up, and the answer says forwarded: false.
      try {
        await this.enqueueForward({ eventIds: stored });
        forwarded = true;
      } catch (err) {
        this.logger.error({ err, events: stored.length }, 'stored events could not be queued for forwarding');
      }
    }
    return { accepted: stored.length, duplicates, rejected, forwarded };
  }
}
