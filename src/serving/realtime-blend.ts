// Session-aware re-ranking as one pure function: a batch list, the subject's recent activity, the
// item-to-item neighbours of the products in it (the batch's similar-items lists) and the time
// -> the list to serve. No I/O and no model inference: its cost per request is bounded by
// events x neighbours (docs/realtime.md).
//
// Scores are by rank, so batch lists of any engine blend the same way: the batch item at rank r
// (from 0) scores 1/(1+r) (a fallback item, when the subject has no list of its own, a quarter of
// that: session-based items lead); the neighbour at rank j of an event's product adds
// weight(type) x 2^(-age/halfLife) / (1+j). Products bought since the batch leave the list when
// excludePurchased. An item that gained from an event and ranks better than in the batch list (or
// is new to it) says so: source REALTIME and the event that moved it.
import type { ProductRow, StoredReason } from '../results';
import type { BuiltItem } from './list-builder';
import type { ActivityEvent } from './recent-activity';

/** How much an event of each type counts (other types count as a view): a fresh view's top neighbour leads the list. */
export const EVENT_TYPE_WEIGHT: Readonly<Record<string, number>> = { view: 1.2, cart: 1.5, purchase: 1.5 };
/** A fallback item's share of a personal one's score: a visitor's session outranks plain popularity. */
export const FALLBACK_SHARE = 0.25;
const VIEW_WEIGHT = 1.2;
const PURCHASE = 'purchase';

export interface BlendInput {
  /** The batch list, best first, as the fill rule built it. */
  batch: readonly BuiltItem[];
  /** Whether batch items of this source are the subject's own (else fallbacks). */
  personal: (item: BuiltItem) => boolean;
  /** The subject's recent events, any order. */
  activity: readonly ActivityEvent[];
  /** Similar-items lists of the events' products (missing: none). */
  neighbours: ReadonlyMap<string, readonly { product: ProductRow; score: number }[]>;
  now: number;
  halfLifeMs: number;
  /** Neighbours taken per event product. */
  neighboursPerEvent: number;
  /** At most this many events are blended (the newest). */
  maxEvents: number;
  limit: number;
  excludePurchased: boolean;
  /** Whether a neighbour may be served (filter, exclusions, availability). */
  allowed: (product: ProductRow) => boolean;
}

export interface BlendOutput {
  items: BuiltItem[];
  /** True when the activity changed the list (items moved, added or removed). */
  changed: boolean;
}

interface Candidate {
  item: BuiltItem;
  batchRank: number;
  score: number;
  /** The event that added the most to it, and how much. */
  best: { event: ActivityEvent; gain: number } | null;
}

/** Weight of an event now: its type's weight, halved every halfLifeMs of age. */
export function eventWeight(e: ActivityEvent, now: number, halfLifeMs: number): number {
  const age = Math.max(0, now - e.at);
  return (EVENT_TYPE_WEIGHT[e.eventType] ?? VIEW_WEIGHT) * 2 ** (-age / halfLifeMs);
}

function realtimeReason(e: ActivityEvent): StoredReason {
  return { kind: 'recent-activity', productIds: [e.productId], eventType: e.eventType };
}

export function blendRecentActivity(input: BlendInput): BlendOutput {
  const { now, halfLifeMs } = input;
  const recent = [...input.activity].sort((x, y) => y.at - x.at).slice(0, input.maxEvents);
  const purchased = new Set(
    input.excludePurchased ? recent.filter((e) => e.eventType === PURCHASE).map((e) => e.productId) : [],
  );
  const byId = new Map<string, Candidate>();
  let removed = false;
  input.batch.forEach((item, rank) => {
    if (purchased.has(item.product.id)) {
      removed = true;
      return;
    }
    const base = 1 / (1 + rank);
    byId.set(item.product.id, {
      item,
      batchRank: rank,
      score: input.personal(item) ? base : base * FALLBACK_SHARE,
      best: null,
    });
  });
  // An event's product seen again later counts once, at its newest (strongest) event.
  const seenProducts = new Set<string>();
  for (const event of recent) {
    if (seenProducts.has(event.productId)) continue;
    seenProducts.add(event.productId);
    const weight = eventWeight(event, now, halfLifeMs);
    const list = input.neighbours.get(event.productId) ?? [];
    let taken = 0;
    for (const n of list) {
      if (taken >= input.neighboursPerEvent) break;
      const id = n.product.id;
      if (id === event.productId || purchased.has(id)) continue;
      let c = byId.get(id);
      if (!c) {
        if (!input.allowed(n.product)) continue;
        c = {
          item: { product: n.product, score: 0, source: 'REALTIME', reason: null },
          batchRank: Infinity,
          score: 0,
          best: null,
        };
        byId.set(id, c);
      }
      const gain = weight / (1 + taken);
      taken += 1;
      c.score += gain;
      if (!c.best || gain > c.best.gain) c.best = { event, gain };
    }
  }
  const ranked = [...byId.values()].sort(
    (x, y) => y.score - x.score || x.batchRank - y.batchRank || (x.item.product.id < y.item.product.id ? -1 : 1),
  );
  let changed = removed;
  const items = ranked.slice(0, input.limit).map((c, rank): BuiltItem => {
    if (rank !== c.batchRank) changed = true;
    if (!c.best || rank >= c.batchRank) return c.item;
    return { ...c.item, score: c.score, source: 'REALTIME', reason: realtimeReason(c.best.event) };
  });
  return { items, changed };
}
