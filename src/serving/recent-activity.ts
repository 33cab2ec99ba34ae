// The recent-activity state of each subject (a customer, or a session for anonymous visitors): its
// last `maxEvents` events (product, type, time), in Redis so every gateway process sees them. It
// is written before an event is acknowledged (recordEvents, order webhooks), so the very next
// request for that subject, on any gateway, reads it. Bounds (docs/realtime.md): per subject a
// Redis list trimmed to `maxEvents` entries with a TTL; in total at most `maxSubjects` subjects
// (an index sorted by last activity; the least recently active are dropped first). A subject's
// index score is also its activity version: every write makes it strictly greater, so a cached
// answer stamped with the versions it was computed at can be checked in one ZMSCORE.
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from '../infra/logger';

export interface ActivityEvent {
  productId: string;
  eventType: string;
  /** Epoch milliseconds. */
  at: number;
}

/** A subject's key part: customers and sessions never collide. */
export type SubjectKey = `u:${string}` | `s:${string}`;

export const userSubject = (userId: string): SubjectKey => `u:${userId}`;
export const sessionSubject = (sessionId: string): SubjectKey => `s:${sessionId}`;

/** The subjects one request is about: its customer and its session, when given. */
export function subjectsOf(userId: string | null | undefined, sessionId: string | null | undefined): SubjectKey[] {
  const out: SubjectKey[] = [];
  if (userId) out.push(userSubject(userId));
  if (sessionId) out.push(sessionSubject(sessionId));
  return out;
}

export interface ActivityBounds {
  maxEvents: number;
  ttlSeconds: number;
  maxSubjects: number;
}

// One round trip, atomic: append each subject's events, trim, refresh its TTL and its place in
// the index, then drop index entries past their TTL and the least recently active subjects over
// the cap, then announce the change on the channel (in the script: the write costs one round
// trip). KEYS[1] the index, KEYS[2..] the subjects' lists; ARGV: ttl, maxEvents, maxSubjects,
// now (ms), the list key prefix, the channel, the message, then per subject its event count
// followed by its entries. The
// index score is the write's time, or one more than the subject's last one when that is not
// smaller (two writes in one millisecond): the score is the subject's version and must change.
const RECORD_SCRIPT = `
local ttl = tonumber(ARGV[1])
local maxEvents = tonumber(ARGV[2])
local maxSubjects = tonumber(ARGV[3])
local now = tonumber(ARGV[4])
local prefix = ARGV[5]
local a = 8
for k = 2, #KEYS do
  local n = tonumber(ARGV[a])
  a = a + 1
  for i = 1, n do
    redis.call('LPUSH', KEYS[k], ARGV[a])
    a = a + 1
  end
  redis.call('LTRIM', KEYS[k], 0, maxEvents - 1)
  redis.call('EXPIRE', KEYS[k], ttl)
  local subject = string.sub(KEYS[k], #prefix + 1)
  local score = now
  local last = tonumber(redis.call('ZSCORE', KEYS[1], subject))
  if last and last >= score then score = last + 1 end
  redis.call('ZADD', KEYS[1], score, subject)
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - ttl * 1000)
local over = redis.call('ZCARD', KEYS[1]) - maxSubjects
if over > 0 then
  local gone = redis.call('ZPOPMIN', KEYS[1], over)
  for i = 1, #gone, 2 do redis.call('DEL', prefix .. gone[i]) end
end
redis.call('PUBLISH', ARGV[6], ARGV[7])
return 0
`;

/** Sent by hash (EVALSHA): the script's text goes only when Redis does not have it yet. */
const RECORD_SHA = createHash('sha1').update(RECORD_SCRIPT).digest('hex');

const isNoScript = (err: unknown) => err instanceof Error && err.message.startsWith('NOSCRIPT');

/** `<ms>|<type>|<product>`: the product id last, since it may hold any character. */
function encode(e: ActivityEvent): string {
  return `${String(e.at)}|${e.eventType}|${e.productId}`;
}

function decode(raw: string): ActivityEvent | null {
  const first = raw.indexOf('|');
  const second = first < 0 ? -1 : raw.indexOf('|', first + 1);
  if (second < 0) return null;
  const at = Number(raw.slice(0, first));
  return Number.isFinite(at) ? { at, eventType: raw.slice(first + 1, second), productId: raw.slice(second + 1) } : null;
}

/** The state each event adds to: its customer's, and its session's when it has one. */
export function activityOf(
  events: readonly {
    userId: string;
    sessionId: string | null;
    productId: string;
    eventType: string;
    occurredAt: Date;
  }[],
): Map<SubjectKey, ActivityEvent[]> {
  const out = new Map<SubjectKey, ActivityEvent[]>();
  for (const e of events) {
    const entry = { productId: e.productId, eventType: e.eventType, at: e.occurredAt.getTime() };
    for (const subject of subjectsOf(e.userId, e.sessionId)) {
      const list = out.get(subject);
      if (list) list.push(entry);
      else out.set(subject, [entry]);
    }
  }
  return out;
}

/** A subject without state (never active, expired, dropped over the cap, or erased). */
const NO_ACTIVITY = '-';
/** A version Redis could not tell (it was down): never equal to a version read later. */
export const UNKNOWN_ACTIVITY = '?';

/**
 * The subjects' activity versions, one token per subject in order: a cached answer stamped with
 * them is current while they are unchanged. Every write changes its subjects' tokens; a subject
 * whose state went (expiry, cap, erasure) reads NO_ACTIVITY, which a stamp taken while it had
 * state never equals.
 */
export type ActivityVersions = string[];

export interface ActivityRead {
  /** Newest first (merged), without events older than the TTL. */
  events: ActivityEvent[];
  versions: ActivityVersions;
}

const versionTokens = (scores: (string | null)[]): ActivityVersions => scores.map((s) => s ?? NO_ACTIVITY);

export class RecentActivity {
  private readonly listPrefix: string;
  private readonly listeners: ((subjects: SubjectKey[]) => void)[] = [];

  constructor(
    private readonly redis: Redis | null,
    prefix: string,
    readonly bounds: ActivityBounds,
    private readonly logger: Logger,
  ) {
    this.listPrefix = `${prefix}:rt:a:`;
    this.indexKey = `${prefix}:rt:subjects`;
    this.channel = `${prefix}:rt:changed`;
  }

  /** The sorted set of subjects by last activity (the total bound). */
  readonly indexKey: string;
  /** Where every write announces the subjects it changed (response caches of all gateways drop theirs). */
  readonly channel: string;

  /** Called, in this process, as soon as a write of these subjects is done or has failed (before the ack). */
  onChange(fn: (subjects: SubjectKey[]) => void): void {
    this.listeners.push(fn);
  }

  keyOf(subject: SubjectKey): string {
    return this.listPrefix + subject;
  }

  /**
   * Appends the events (oldest first) to each subject's state and announces the change. Throws when
   * Redis cannot take them: the caller decides whether the acknowledgement waits for that.
   */
  async record(bySubject: Map<SubjectKey, ActivityEvent[]>, now = Date.now()): Promise<void> {
    if (!bySubject.size) return;
    try {
      await this.write(bySubject, now);
    } finally {
      // Even when Redis failed: whatever this process cached about them is dropped.
      const subjects = [...bySubject.keys()];
      for (const fn of this.listeners) fn(subjects);
    }
  }

  /**
   * record() that never throws: a failure is logged and the events stay stored (PostgreSQL);
   * re-ranking then misses them until the subject's next event.
   */
  async recordLogged(bySubject: Map<SubjectKey, ActivityEvent[]>): Promise<void> {
    try {
      await this.record(bySubject);
    } catch (err) {
      this.logger.warn({ err, subjects: bySubject.size }, 'recent activity not written (Redis unavailable)');
    }
  }

  private async write(bySubject: Map<SubjectKey, ActivityEvent[]>, now: number): Promise<void> {
    if (!this.redis) return;
    const keys: string[] = [this.indexKey];
    const args: (string | number)[] = [
      this.bounds.ttlSeconds,
      this.bounds.maxEvents,
      this.bounds.maxSubjects,
      now,
      this.listPrefix,
      this.channel,
      JSON.stringify([...bySubject.keys()]),
    ];
    for (const [subject, events] of bySubject) {
      // Only the newest maxEvents can survive the trim: the rest are never sent.
      const kept = [...events].sort((x, y) => x.at - y.at).slice(-this.bounds.maxEvents);
      keys.push(this.keyOf(subject));
      args.push(kept.length, ...kept.map(encode));
    }
    try {
      await this.redis.evalsha(RECORD_SHA, keys.length, ...keys, ...args);
    } catch (err) {
      // A Redis restarted or flushed (SCRIPT FLUSH) since: send the text once, which loads it.
      if (!isNoScript(err)) throw err;
      await this.redis.eval(RECORD_SCRIPT, keys.length, ...keys, ...args);
    }
  }

  /**
   * The subjects' events and activity versions, or null when Redis cannot answer (the caller
   * serves the batch list). One round trip: the versions are asked first on the same connection,
   * so a write landing between the two commands leaves a stamp older than the lists (such an
   * answer is re-computed on its next hit, never served stale).
   */
  async read(subjects: readonly SubjectKey[], now = Date.now()): Promise<ActivityRead | null> {
    const redis = this.redis;
    if (!redis || !subjects.length) return { events: [], versions: [] };
    try {
      // Called in this order, written in this order: Redis runs the ZMSCORE before the LRANGEs.
      const scores = redis.zmscore(this.indexKey, ...subjects);
      const lists = Promise.all(subjects.map((s) => redis.lrange(this.keyOf(s), 0, -1)));
      const [versions, read] = await Promise.all([scores, lists]);
      const oldest = now - this.bounds.ttlSeconds * 1000;
      const events: ActivityEvent[] = [];
      for (const list of read)
        for (const raw of list) {
          const e = decode(raw);
          if (e && e.at >= oldest) events.push(e);
        }
      return { events: events.sort((x, y) => y.at - x.at), versions: versionTokens(versions) };
    } catch (err) {
      this.logger.debug({ err }, 'recent activity unavailable; serving the batch list');
      return null;
    }
  }

  /** The subjects' activity versions now (one ZMSCORE); throws when Redis cannot answer. */
  async versions(subjects: readonly string[]): Promise<ActivityVersions> {
    if (!this.redis || !subjects.length) return subjects.map(() => NO_ACTIVITY);
    return versionTokens(await this.redis.zmscore(this.indexKey, ...subjects));
  }

  /** Drops the subjects' state (erasure). */
  async forget(subjects: readonly SubjectKey[]): Promise<void> {
    if (!this.redis || !subjects.length) return;
    await this.redis.del(...subjects.map((s) => this.keyOf(s)));
    await this.redis.zrem(this.indexKey, ...subjects);
    await this.redis.publish(this.channel, JSON.stringify(subjects));
  }
}

/** An order's purchases into the customer's state (order webhooks); never throws. */
export async function recordPurchases(
  activity: RecentActivity | null,
  p: { customerId: string; productIds: string[]; at: Date },
): Promise<void> {
  if (!activity) return;
  const at = p.at.getTime();
  const events = p.productIds.map((productId) => ({ productId, eventType: 'purchase', at }));
  await activity.recordLogged(new Map([[userSubject(p.customerId), events]]));
}
