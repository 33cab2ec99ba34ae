// The pure re-ranking function: purchased products leave, neighbours of recent events come in
// with a weight that halves every half-life, fallback lists give way to the session, and every
// item that moved says why.
import { blendRecentActivity, eventWeight, type BlendInput } from '../../src/serving/realtime-blend';
import type { BuiltItem } from '../../src/serving/list-builder';
import type { ProductRow } from '../../src/results';

const MIN = 60_000;
const NOW = Date.UTC(2026, 11, 1, 12);
const p = (id: string): ProductRow => ({ id, name: `Product ${id}`, category: 'Lamps', price: 10 });
const item = (id: string, source: BuiltItem['source'] = 'PERSONALIZED'): BuiltItem => ({
  product: p(id),
  score: 0.5,
  source,
  reason: null,
});
const list = (ids: string[]) => ids.map((id, i) => ({ product: p(id), score: 1 - i / 100 }));

function input(over: Partial<BlendInput>): BlendInput {
  return {
    batch: ['b1', 'b2', 'b3', 'b4', 'b5'].map((id) => item(id)),
    personal: (i) => i.source === 'PERSONALIZED',
    activity: [],
    neighbours: new Map(),
    now: NOW,
    halfLifeMs: 30 * MIN,
    neighboursPerEvent: 10,
    maxEvents: 20,
    limit: 5,
    excludePurchased: true,
    allowed: () => true,
    ...over,
  };
}

const ids = (items: BuiltItem[]) => items.map((i) => i.product.id);

describe('blendRecentActivity', () => {
  it('returns the batch list unchanged without activity', () => {
    const out = blendRecentActivity(input({}));
    expect(ids(out.items)).toEqual(['b1', 'b2', 'b3', 'b4', 'b5']);
    expect(out.changed).toBe(false);
    expect(out.items.every((i) => i.source === 'PERSONALIZED')).toBe(true);
  });

  it('blends in the neighbours of a product viewed just now, saying why', () => {
    const out = blendRecentActivity(
      input({
        activity: [{ productId: 'lamp', eventType: 'view', at: NOW - 1_000 }],
        neighbours: new Map([['lamp', list(['n1', 'b4', 'n2'])]]),
      }),
    );
    expect(out.changed).toBe(true);
    expect(ids(out.items)[0]).toBe('n1');
    expect(ids(out.items)).toContain('b4');
    const n1 = out.items[0]!;
    expect(n1.source).toBe('REALTIME');
    expect(n1.reason).toEqual({ kind: 'recent-activity', productIds: ['lamp'], eventType: 'view' });
    // b4 gained from the view and moved up: it says so too; b1 did not gain and keeps its source.
    const b4 = out.items.find((i) => i.product.id === 'b4')!;
    expect(out.items.indexOf(b4)).toBeLessThan(3);
    expect(b4.source).toBe('REALTIME');
    expect(out.items.find((i) => i.product.id === 'b1')?.source).toBe('PERSONALIZED');
    expect(out.items).toHaveLength(5);
  });

  it('weighs an event by its age: halved every half-life', () => {
    const fresh = eventWeight({ productId: 'x', eventType: 'view', at: NOW }, NOW, 30 * MIN);
    const old = eventWeight({ productId: 'x', eventType: 'view', at: NOW - 60 * MIN }, NOW, 30 * MIN);
    expect(old / fresh).toBeCloseTo(0.25, 10);
    // An old view's neighbour no longer beats the customer's top items.
    const out = blendRecentActivity(
      input({
        activity: [{ productId: 'lamp', eventType: 'view', at: NOW - 240 * MIN }],
        neighbours: new Map([['lamp', list(['n1'])]]),
      }),
    );
    expect(ids(out.items).slice(0, 4)).toEqual(['b1', 'b2', 'b3', 'b4']);
  });

  it('drops products bought since the batch when excludePurchased, and keeps them otherwise', () => {
    const activity = [{ productId: 'b2', eventType: 'purchase', at: NOW - MIN }];
    const out = blendRecentActivity(input({ activity }));
    expect(ids(out.items)).not.toContain('b2');
    expect(out.changed).toBe(true);
    const kept = blendRecentActivity(input({ activity, excludePurchased: false }));
    expect(ids(kept.items)).toContain('b2');
  });

  it('puts session-based items ahead of a fallback list (a visitor without a list of their own)', () => {
    const out = blendRecentActivity(
      input({
        batch: ['pop1', 'pop2', 'pop3'].map((id) => item(id, 'POPULAR')),
        activity: [{ productId: 'lamp', eventType: 'cart', at: NOW - MIN }],
        neighbours: new Map([['lamp', list(['n1', 'n2', 'n3'])]]),
      }),
    );
    expect(ids(out.items).slice(0, 3)).toEqual(['n1', 'n2', 'n3']);
    expect(out.items[0]?.reason?.eventType).toBe('cart');
  });

  it('never adds a neighbour the filter refuses, nor the event product itself', () => {
    const out = blendRecentActivity(
      input({
        activity: [{ productId: 'lamp', eventType: 'view', at: NOW }],
        neighbours: new Map([['lamp', list(['lamp', 'banned', 'n1'])]]),
        allowed: (prod) => prod.id !== 'banned',
      }),
    );
    expect(ids(out.items)).not.toContain('banned');
    expect(ids(out.items)).not.toContain('lamp');
    expect(ids(out.items)).toContain('n1');
  });

  it('is bounded: at most maxEvents events and neighboursPerEvent neighbours each are looked at', () => {
    const activity = Array.from({ length: 50 }, (_, i) => ({
      productId: `e${i}`,
      eventType: 'view',
      at: NOW - i * 1000,
    }));
    const neighbours = new Map(
      activity.map((e) => [e.productId, list(Array.from({ length: 30 }, (_, j) => `${e.productId}-n${j}`))]),
    );
    const out = blendRecentActivity(input({ activity, neighbours, maxEvents: 3, neighboursPerEvent: 2, limit: 100 }));
    const added = ids(out.items).filter((id) => id.includes('-n'));
    expect(added.sort()).toEqual(['e0-n0', 'e0-n1', 'e1-n0', 'e1-n1', 'e2-n0', 'e2-n1']);
  });
});
