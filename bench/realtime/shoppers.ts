// The simulated shoppers of bench:realtime: known customers drawn over the whole store and, when the
// gateway takes a sessionId, anonymous sessions; each request is a `recommendations` read or, for
// EVENT_SHARE of them, a recordEvents call with one view, cart or purchase of a random product.
import { pick } from '../support/serving-harness';

/** The fields the bench reads: every item's product, score, rank, source and reason. */
const ITEMS = `items { product { id name category price } score rank source reason { kind productIds } } source recommendationId`;
export const RECS_BY_USER = `query Recs($userId: ID!) { recommendations(userId: $userId) { ${ITEMS} } }`;
export const RECS_BY_SESSION = `query Recs($sessionId: ID!) { recommendations(sessionId: $sessionId) { ${ITEMS} } }`;
export const RECORD = `mutation Record($events: [EventInput!]!) { recordEvents(events: $events) { accepted duplicates } }`;

/** Share of requests that record an event (the issue asks for 5-10%). */
export const EVENT_SHARE = 0.08;
/** Of the events: views, then carts, the rest purchases. */
const VIEW_SHARE = 0.7;
const CART_SHARE = 0.2;

export type Subject = { userId: string } | { sessionId: string };

export interface ShopperPool {
  customers: readonly string[];
  /** Anonymous sessions' ids; empty when the gateway answers only by userId. */
  sessions: readonly string[];
  /** Share of requests made by anonymous sessions. */
  sessionShare: number;
  products: readonly string[];
}

export const recsBody = (s: Subject): string =>
  JSON.stringify({ query: 'userId' in s ? RECS_BY_USER : RECS_BY_SESSION, variables: s });

/** An anonymous visitor's events still need a userId: the storefront's visitor id, beside the session. */
const visitorOf = (sessionId: string) => `visitor-${sessionId}`;

/** The recent-activity subjects an event of `s` updates (an anonymous one: its visitor and its session). */
export const subjectsOf = (s: Subject): string[] =>
  'userId' in s ? [`u:${s.userId}`] : [`u:${visitorOf(s.sessionId)}`, `s:${s.sessionId}`];

let eventCounter = 0;
export function recordBody(s: Subject, productId: string, eventType: string): string {
  eventCounter += 1;
  const who = 'userId' in s ? s : { userId: visitorOf(s.sessionId), sessionId: s.sessionId };
  const event = { ...who, productId, eventType, eventId: `rt-${process.pid}-${eventCounter}` };
  return JSON.stringify({ query: RECORD, variables: { events: [event] } });
}

/** The next request's body, and the subjects that recorded events (what the state's memory is per). */
export function shopperMix(pool: ShopperPool, active: Set<string>): () => string {
  return () => {
    const anonymous = pool.sessions.length > 0 && Math.random() < pool.sessionShare;
    const subject: Subject = anonymous ? { sessionId: pick(pool.sessions) } : { userId: pick(pool.customers) };
    if (Math.random() >= EVENT_SHARE) return recsBody(subject);
    for (const key of subjectsOf(subject)) active.add(key);
    const r = Math.random();
    const type = r < VIEW_SHARE ? 'view' : r < VIEW_SHARE + CART_SHARE ? 'cart' : 'purchase';
    return recordBody(subject, pick(pool.products), type);
  };
}
