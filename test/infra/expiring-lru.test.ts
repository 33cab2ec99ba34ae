import { ExpiringLru } from '../../src/infra/expiring-lru';

describe('ExpiringLru', () => {
  it('keeps at most maxEntries, dropping the least recently used', () => {
    const lru = new ExpiringLru<number>(2, 1_000);
    lru.set('a', 1, 0);
    lru.set('b', 2, 0);
    expect(lru.get('a', 1)).toBe(1);
    lru.set('c', 3, 2);
    expect(lru.size).toBe(2);
    expect(lru.get('b', 3)).toBeUndefined();
    expect(lru.get('a', 3)).toBe(1);
    expect(lru.get('c', 3)).toBe(3);
  });

  it('forgets entries after ttlMs', () => {
    const lru = new ExpiringLru<boolean>(10, 100);
    lru.set('x', true, 0);
    expect(lru.get('x', 99)).toBe(true);
    expect(lru.get('x', 100)).toBeUndefined();
    expect(lru.size).toBe(0);
  });

  it('holds nothing when maxEntries is 0', () => {
    const lru = new ExpiringLru<boolean>(0, 100);
    lru.set('x', true, 0);
    expect(lru.size).toBe(0);
  });
});
