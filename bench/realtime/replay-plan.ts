// The pure parts of bench:realtime (tested in test/bench/realtime-bench.test.ts): the order the
// stream replay sends invoices in, the nDCG of one answer against one invoice, and when a
// freshness probe's answer reflects the event it recorded.
import { ndcg } from '../../src/engine/local/metrics';

/** One purchase line of the replay window, as order_items holds it. */
export interface ReplayLine {
  customer: string;
  order: string;
  product: string;
  /** Unix seconds. */
  at: number;
}

/** One invoice: a customer's purchase lines with one order id, its products once each. */
export interface Invoice {
  customer: string;
  order: string;
  at: number;
  products: string[];
}

/**
 * The invoices of the window in stream order: by time (an invoice's earliest line), then customer,
 * then order id, so a run replays the same stream every time and each customer's invoices arrive
 * in their own time order. Products keep the order of their first line.
 */
export function replayOrder(lines: readonly ReplayLine[]): Invoice[] {
  const byKey = new Map<string, Invoice>();
  for (const l of lines) {
    const key = `${l.customer}\u0000${l.order}`;
    const inv = byKey.get(key);
    if (!inv) {
      byKey.set(key, { customer: l.customer, order: l.order, at: l.at, products: [l.product] });
      continue;
    }
    inv.at = Math.min(inv.at, l.at);
    if (!inv.products.includes(l.product)) inv.products.push(l.product);
  }
  return [...byKey.values()].sort((a, b) => a.at - b.at || cmp(a.customer, b.customer) || cmp(a.order, b.order));
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** nDCG@k (binary relevance) of a recommended list of product ids against an invoice's products. */
export function invoiceNdcg(recommended: readonly string[], truth: readonly string[], k: number): number {
  const ids = new Map<string, number>();
  const num = (id: string) => {
    let n = ids.get(id);
    if (n === undefined) ids.set(id, (n = ids.size));
    return n;
  };
  return ndcg({ recommended: recommended.map(num), truth: new Set(truth.map(num)) }, k);
}

/** An item of a `recommendations` answer, as the probe reads it. */
export interface AnswerItem {
  product: { id: string };
  source: string;
  reason: { kind: string; productIds: string[] };
}

/**
 * Whether an answer reflects a view of `viewed` recorded after `before` was served: an item the
 * earlier answer did not hold appears, or an item's reason names the viewed product.
 */
export function reflectsEvent(before: readonly AnswerItem[], after: readonly AnswerItem[], viewed: string): boolean {
  const had = new Set(before.map((i) => i.product.id));
  return after.some((i) => !had.has(i.product.id) || i.reason.productIds.includes(viewed));
}
