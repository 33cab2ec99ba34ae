// Group commit for recordEvents: the events of every call that arrives while the writer is busy
// (or within `windowMs` of the first) are written by the next single INSERT, and each call is
// answered only once the statement holding its events has committed. Two INSERTs may be in flight
// at once, so a call arriving during a commit does not wait for that commit before its own starts
// (PostgreSQL flushes concurrent commits together). A call naming an id of the group in flight
// waits for it, so the two statements never touch the same id (no lock waits, no deadlock). So an acknowledged event
// is durable (PostgreSQL's commit) and stored once (event_id is unique; within one group the first
// call to name an id owns it), while the database sees one statement for many small calls instead
// of one each: the cost that held a storefront mix back (BENCHMARKS.md, serving).
import type { Pool } from 'pg';
import { customerIdHash } from '../privacy/customer-erasure';

export interface StoredEvent {
  eventId: string;
  userId: string;
  productId: string;
  eventType: string;
  eventValue: number | null;
  occurredAt: Date;
  recommendationId: string | null;
  sessionId: string | null;
}

interface Waiting {
  events: StoredEvent[];
  resolve: (result: GroupWriteResult) => void;
  reject: (err: unknown) => void;
}

/** What one call's events became: stored now, or refused because their customer was erased. */
export interface GroupWriteResult {
  stored: string[];
  erased: string[];
}

/**
 * One statement for a whole group: rows whose event_id is already stored are skipped, and rows of
 * an erased customer (their id's SHA-256 is in erased_customers) are not stored but named, so the
 * refusal costs no extra round trip on the ingest path.
 */
async function insertEvents(
  pool: Pool,
  events: StoredEvent[],
): Promise<{ inserted: Set<string>; erased: Set<string> }> {
  const { rows } = await pool.query<{ event_id: string; stored: boolean }>(
    `WITH input AS (
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::float8[], $6::timestamptz[], $7::text[], $8::text[], $9::text[])
         AS e(event_id, user_id, product_id, event_type, event_value, occurred_at, recommendation_id, session_id, user_hash)),
     erased AS (
       SELECT i.event_id FROM input i WHERE EXISTS (SELECT 1 FROM erased_customers x WHERE x.id_hash = i.user_hash::char(64))),
     ins AS (
       INSERT INTO events (event_id, user_id, product_id, event_type, event_value, occurred_at, recommendation_id, session_id, source)
       SELECT i.event_id, i.user_id, i.product_id, i.event_type, i.event_value, i.occurred_at, i.recommendation_id, i.session_id, 'api'
         FROM input i WHERE NOT EXISTS (SELECT 1 FROM erased_customers x WHERE x.id_hash = i.user_hash::char(64))
       ON CONFLICT (event_id) DO NOTHING
       RETURNING event_id)
     SELECT event_id, true AS stored FROM ins UNION ALL SELECT event_id, false FROM erased`,
    [
      events.map((e) => e.eventId),
      events.map((e) => e.userId),
      events.map((e) => e.productId),
      events.map((e) => e.eventType),
      events.map((e) => e.eventValue),
      events.map((e) => e.occurredAt),
      events.map((e) => e.recommendationId),
      events.map((e) => e.sessionId),
      events.map((e) => customerIdHash(e.userId)),
    ],
  );
  const inserted = new Set<string>();
  const erased = new Set<string>();
  for (const r of rows) (r.stored ? inserted : erased).add(r.event_id);
  return { inserted, erased };
}

export class EventGroupCommit {
  private queue: Waiting[] = [];
  private queued = 0;
  private inFlight = 0;
  /** The event ids of the group being written (at most one other group may be written beside it). */
  private readonly writingIds = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  /**
   * `windowMs`: how long the first call of a group waits for company (0: write at once; calls
   * arriving while `maxInFlight` writes are in flight share the next one). `maxEvents`: a group's
   * size limit.
   */
  constructor(
    private readonly pool: Pool,
    private readonly windowMs = 1,
    private readonly maxEvents = 5_000,
    private readonly maxInFlight = 2,
  ) {}

  /**
   * Resolves, after their commit, with the ids this call stored (the rest were stored before or
   * are another call's) and those refused because their customer was erased.
   */
  write(events: StoredEvent[]): Promise<GroupWriteResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ events, resolve, reject });
      this.queued += events.length;
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.inFlight >= this.maxInFlight || this.timer) return;
    if (this.queued >= this.maxEvents || this.windowMs === 0) {
      void this.flush();
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.windowMs);
  }

  private async flush(): Promise<void> {
    if (this.inFlight >= this.maxInFlight || !this.queue.length) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    const group: Waiting[] = [];
    let size = 0;
    while (this.queue.length && (size === 0 || size + (this.queue[0]?.events.length ?? 0) <= this.maxEvents)) {
      const next = this.queue[0];
      // It names an id being written now: it goes in the group after that write (flush on finish).
      if (!next || next.events.some((e) => this.writingIds.has(e.eventId))) break;
      this.queue.shift();
      group.push(next);
      size += next.events.length;
    }
    if (!group.length) return;
    this.queued -= size;
    this.inFlight += 1;
    // The first call of the group to name an id owns it; a later one reports it as a duplicate.
    const owner = new Map<string, Waiting>();
    const rows: StoredEvent[] = [];
    for (const w of group)
      for (const e of w.events)
        if (!owner.has(e.eventId)) {
          owner.set(e.eventId, w);
          rows.push(e);
        }
    for (const e of rows) this.writingIds.add(e.eventId);
    try {
      const { inserted, erased } = await insertEvents(this.pool, rows);
      for (const w of group) {
        const owned = w.events.filter((e) => owner.get(e.eventId) === w);
        w.resolve({
          stored: owned.filter((e) => inserted.has(e.eventId)).map((e) => e.eventId),
          erased: owned.filter((e) => erased.has(e.eventId)).map((e) => e.eventId),
        });
      }
    } catch (err) {
      // Nothing of the group was committed (one statement): every call of it is told so.
      for (const w of group) w.reject(err);
    } finally {
      for (const e of rows) this.writingIds.delete(e.eventId);
      this.inFlight -= 1;
      if (this.queue.length) this.schedule();
    }
  }
}
