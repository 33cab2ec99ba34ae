import { ResponseCache } from '../../src/gateway/response-cache';

type Stamped = { recommendationId: string; generatedAt: string; items?: number[]; name?: string };
type Body = { data: { a: Stamped; b: Stamped } };

describe('ResponseCache', () => {
  it('re-stamps every recommendationId and the time on each copy, and only for its batch', () => {
    const cache = new ResponseCache(10);
    const stamps = { ids: ['11111111-aaaa', '22222222-bbbb'], generatedAt: '2026-01-01T00:00:00.000Z' };
    const body = JSON.stringify({
      data: {
        a: { recommendationId: stamps.ids[0], generatedAt: stamps.generatedAt, items: [1], name: 'Café ü' },
        b: { recommendationId: stamps.ids[1], generatedAt: stamps.generatedAt },
      },
    });
    const key = cache.key('{ a b }', { x: 1 }, null);
    cache.store(key, 5, 'op', body, stamps);
    const one = JSON.parse(cache.render(key, 5)!.body.toString('utf8')) as Body;
    const two = JSON.parse(cache.render(key, 5)!.body.toString('utf8')) as Body;
    expect(one.data.a.items).toEqual([1]);
    expect(one.data.a.name).toBe('Café ü');
    const ids = [
      one.data.a.recommendationId,
      one.data.b.recommendationId,
      two.data.a.recommendationId,
      two.data.b.recommendationId,
    ];
    expect(new Set(ids).size).toBe(4);
    expect(ids).not.toContain(stamps.ids[0]);
    expect(one.data.a.generatedAt).not.toBe(stamps.generatedAt);
    expect(cache.render(key, 6)).toBeNull();
    expect(cache.render(cache.key('{ a b }', { x: 2 }, null), 5)).toBeNull();
  });

  it('keys by document, operation name and variables; only stored documents are numbered', () => {
    const cache = new ResponseCache(10);
    const pending = cache.key('{ a }', { x: 1 }, null);
    expect(cache.documentCount).toBe(0);
    cache.store(pending, 1, 'op', '{"data":{"a":1}}', { ids: [], generatedAt: 'never-present' });
    expect(cache.documentCount).toBe(1);
    const a = cache.key('{ a }', { x: 1 }, null);
    expect(cache.key('{ a }', { x: 1 }, null)).toBe(a);
    expect(cache.key('{ a }', { x: 1 }, 'Named')).not.toBe(a);
    expect(cache.key('{ a }', { x: 2 }, null)).not.toBe(a);
    expect(cache.keyOfBody({ query: 'mutation { m }' })).toBeNull();
    expect(cache.keyOfBody({ query: `{ ${'a '.repeat(3_000)}}` })).toBeNull();
    expect(cache.keyOfBody({ query: '{ a }', variables: { x: 1 } })).toBe(a);
    expect(cache.render(a, 1)!.body.toString()).toBe('{"data":{"a":1}}');
    // Looking up keys of other documents numbers none of them.
    for (let i = 0; i < 1_500; i++) cache.key(`{ f${i} }`, undefined, null);
    expect(cache.documentCount).toBe(1);
  });

  it('keeps documents in use numbered while a flood of once-used stored documents passes through', () => {
    const cache = new ResponseCache(10_000);
    const none = { ids: [], generatedAt: 'never-present' };
    cache.store(cache.key('{ a }', undefined, null), 1, 'op', '{"data":{"a":1}}', none);
    const a = cache.key('{ a }', undefined, null); // used again: protected
    for (let i = 0; i < 1_500; i++) cache.store(cache.key(`{ f${i} }`, undefined, null), 1, 'op', '{}', none);
    expect(cache.documentCount).toBeLessThanOrEqual(1_000);
    expect(cache.key('{ a }', undefined, null)).toBe(a);
    expect(cache.render(a, 1)!.body.toString()).toBe('{"data":{"a":1}}');
    // A document number is never reused for another document.
    const b = cache.key('{ b }', undefined, null);
    cache.store(b, 1, 'op', '{"data":{"b":1}}', none);
    expect(cache.key('{ b }', undefined, null)).not.toBe(a);
  });

  it('holds at most maxBytes, dropping the oldest; an answer bigger than the budget is not kept', () => {
    const answer = (n: number) => JSON.stringify({ data: { pad: 'x'.repeat(n) } });
    const one = 4_000; // each entry counts its answer, twice its key and 1.5 KB of bookkeeping
    const cache = new ResponseCache(100, 3 * (one + 1_600));
    for (const k of ['a', 'b', 'c', 'd'])
      cache.store(k, 1, 'op', answer(one - 20), { ids: [], generatedAt: 'never-present' });
    expect(cache.size).toBe(3);
    expect(cache.render('a', 1)).toBeNull();
    expect(cache.render('d', 1)).not.toBeNull();
    expect(cache.sizeBytes).toBeLessThanOrEqual(3 * (one + 1_600));
    cache.store('huge', 1, 'op', answer(20_000), { ids: [], generatedAt: 'never-present' });
    expect(cache.render('huge', 1)).toBeNull();
    expect(cache.size).toBe(3);
    cache.clear();
    expect(cache.sizeBytes).toBe(0);
  });

  it('holds at most maxEntries, dropping the oldest; 0 disables it', () => {
    const cache = new ResponseCache(2);
    for (const k of ['a', 'b', 'c']) cache.store(k, 1, 'op', '{}', { ids: [], generatedAt: 'never-present' });
    expect(cache.size).toBe(2);
    expect(cache.render('a', 1)).toBeNull();
    const off = new ResponseCache(0);
    off.store('a', 1, 'op', '{}', { ids: [], generatedAt: 't' });
    expect(off.enabled).toBe(false);
    expect(off.size).toBe(0);
  });

  it('hands an answer made with recent activity to its caller to check, and drops it when found stale', () => {
    const cache = new ResponseCache(10);
    const key = cache.key('{ r }', { u: 'c1' }, null);
    const activity = [{ subjects: ['u:c1'], versions: ['17'] }];
    cache.store(key, 1, 'op', '{"data":{"r":1}}', {
      ids: [],
      generatedAt: 'never-present',
      subjects: ['u:c1'],
      activity,
    });
    expect(cache.render(key, 1)).toBeNull(); // render() cannot check it: not served, not dropped
    const found = cache.find(key, 1)!;
    expect(found.check).toEqual({ subjects: ['u:c1'], versions: ['17'] });
    expect(cache.serve(found).body.toString()).toBe('{"data":{"r":1}}');
    cache.stale(cache.find(key, 1)!);
    expect(cache.find(key, 1)).toBeNull();
    expect(cache.stats).toMatchObject({ hits: 1, misses: 3 });
  });

  it('does not reuse an answer past its reuseUntil (a re-ranked list decays)', () => {
    const cache = new ResponseCache(10);
    const key = cache.key('{ r }', null, null);
    const stamps = { ids: [], generatedAt: 'never-present' };
    cache.store(key, 1, 'op', '{"data":{"r":1}}', { ...stamps, reuseUntil: Date.now() + 60_000 });
    expect(cache.render(key, 1)).not.toBeNull();
    cache.store(key, 1, 'op', '{"data":{"r":2}}', { ...stamps, reuseUntil: Date.now() - 1 });
    expect(cache.render(key, 1)).toBeNull();
    expect(cache.size).toBe(0);
  });
});
