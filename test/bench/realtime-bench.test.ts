// The pure parts of bench:realtime: the percentiles its latencies are reported at, the nDCG each
// replayed invoice is scored with, the order the replay sends invoices in, and when a freshness
// probe counts an answer as reflecting its event.
import { probeFigures, probeTargets } from '../../bench/realtime/freshness-probe';
import { invoiceNdcg, reflectsEvent, replayOrder, type AnswerItem } from '../../bench/realtime/replay-plan';
import { percentile } from '../../bench/support/serving-harness';

describe('percentile', () => {
  it('is the smallest value with at least that share of values at or below it', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 0.5)).toBe(50);
    expect(percentile(sorted, 0.99)).toBe(99);
    expect(percentile(sorted, 1)).toBe(100);
    expect(percentile([7], 0.99)).toBe(7);
    expect(percentile([], 0.5)).toBe(0);
  });

  it('puts probes that never saw their event above every finite latency', () => {
    const results = [5, 10, null, 20].map((latencyMs) => ({ latencyMs, polls: 1, crossGateway: false }));
    const f = probeFigures(results);
    expect(f).toMatchObject({ probes: 4, visible: 3, p50: 10, max: Infinity });
    expect(f.p99).toBe(Infinity);
  });
});

describe('invoiceNdcg', () => {
  it('scores binary relevance against the invoice, at most k deep', () => {
    expect(invoiceNdcg(['a', 'b'], ['a'], 10)).toBe(1);
    expect(invoiceNdcg(['x', 'a'], ['a'], 10)).toBeCloseTo(1 / Math.log2(3));
    // Two relevant products, one found at rank 1: DCG 1 over the ideal 1 + 1/log2(3).
    expect(invoiceNdcg(['a', 'x'], ['a', 'b'], 10)).toBeCloseTo(1 / (1 + 1 / Math.log2(3)));
    expect(invoiceNdcg(['x', 'y', 'a'], ['a'], 2)).toBe(0);
    expect(invoiceNdcg([], ['a'], 10)).toBe(0);
  });
});

describe('replayOrder', () => {
  it('groups lines into invoices, sends them by time, and each customer in their own time order', () => {
    const invoices = replayOrder([
      { customer: 'c2', order: 'o3', product: 'p1', at: 300 },
      { customer: 'c1', order: 'o1', product: 'p1', at: 100 },
      { customer: 'c1', order: 'o2', product: 'p3', at: 200 },
      { customer: 'c1', order: 'o1', product: 'p2', at: 100 },
      { customer: 'c1', order: 'o1', product: 'p1', at: 100 },
      { customer: 'c0', order: 'o4', product: 'p9', at: 200 },
    ]);
    expect(invoices).toEqual([
      { customer: 'c1', order: 'o1', at: 100, products: ['p1', 'p2'] },
      { customer: 'c0', order: 'o4', at: 200, products: ['p9'] },
      { customer: 'c1', order: 'o2', at: 200, products: ['p3'] },
      { customer: 'c2', order: 'o3', at: 300, products: ['p1'] },
    ]);
  });
});

describe('freshness probe', () => {
  const item = (id: string, productIds: string[] = []): AnswerItem => ({
    product: { id },
    source: 'PERSONALIZED',
    reason: { kind: 'HISTORY', productIds },
  });

  it('counts an answer as reflecting a view when a new item or a reason naming the view appears', () => {
    const before = [item('a'), item('b')];
    expect(reflectsEvent(before, [item('b'), item('a')], 'v')).toBe(false);
    expect(reflectsEvent(before, [item('a'), item('n')], 'v')).toBe(true);
    expect(reflectsEvent(before, [item('a', ['v']), item('b')], 'v')).toBe(true);
  });

  it('takes probe products that are outside the customer list, as are their similar items', () => {
    const store = {
      users: ['u1', 'u2'],
      lists: [['p1'], ['p2']],
      products: ['p1', 'p2', 'p3'],
      similar: [['p2'], ['p3'], ['p1']],
    };
    // u2 (from the end): p2 is in the list, p1's similar item p2 too; p3's similar item p1 is not.
    expect(probeTargets(store, 1)).toEqual([{ customer: 'u2', product: 'p3' }]);
  });
});
