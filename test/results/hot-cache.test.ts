import { Redis } from 'ioredis';
import { createLogger } from '../../src/infra/logger';
import { HotCache, hotKey } from '../../src/results';
import { deleteRedisPrefix } from '../../src/infra/redis-prefix';
import { uniqueName } from '../support/test-context';

const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const logger = createLogger({ logLevel: 'silent' });

describe('HotCache', () => {
  const prefix = uniqueName('hot');
  const redis = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
  afterAll(async () => {
    redis.disconnect();
    await deleteRedisPrefix(url, prefix);
  });
  beforeAll(async () => {
    while (redis.status !== 'ready') await new Promise((r) => setTimeout(r, 10));
  });

  it('loads once for concurrent misses of one key, then serves from Redis with a TTL', async () => {
    const cache = new HotCache(redis, prefix, 120, logger);
    let loads = 0;
    const load = async () => {
      loads += 1;
      await new Promise((r) => setTimeout(r, 30));
      return { items: [1, 2, 3] };
    };
    const results = await Promise.all(Array.from({ length: 20 }, () => cache.getOrLoad(1, 'user', 'u1', load)));
    expect(loads).toBe(1);
    expect(results.every((r) => r.items.length === 3)).toBe(true);
    await new Promise((r) => setTimeout(r, 20));
    const ttl = await redis.ttl(hotKey(prefix, 1, 'user', 'u1'));
    expect(ttl).toBeGreaterThan(100);
    expect(await cache.getOrLoad(1, 'user', 'u1', load)).toEqual({ items: [1, 2, 3] });
    expect(loads).toBe(1);
    expect(cache.stats.hits).toBe(1);
  });

  it('caches "nothing" too, and keeps batch versions apart', async () => {
    const cache = new HotCache(redis, prefix, 120, logger);
    let loads = 0;
    const load = () => {
      loads += 1;
      return Promise.resolve(null);
    };
    expect(await cache.getOrLoad(2, 'user', 'nobody', load)).toBeNull();
    await new Promise((r) => setTimeout(r, 20));
    expect(await cache.getOrLoad(2, 'user', 'nobody', load)).toBeNull();
    expect(loads).toBe(1);
    await cache.getOrLoad(3, 'user', 'nobody', load);
    expect(loads).toBe(2);
  });

  it('invalidates one batch version only', async () => {
    const cache = new HotCache(redis, prefix, 120, logger);
    await cache.getOrLoad(7, 'user', 'a', () => Promise.resolve(1));
    await cache.getOrLoad(8, 'user', 'a', () => Promise.resolve(1));
    await new Promise((r) => setTimeout(r, 20));
    expect(await cache.invalidate(7)).toBe(1);
    expect(await redis.exists(hotKey(prefix, 8, 'user', 'a'))).toBe(1);
  });

  it('loads straight from the source when Redis is down', async () => {
    const dead = new Redis('redis://127.0.0.1:1', {
      lazyConnect: true,
      enableOfflineQueue: false,
      retryStrategy: () => null,
    });
    dead.on('error', () => undefined);
    const cache = new HotCache(dead, prefix, 120, logger);
    expect(cache.available).toBe(false);
    expect(await cache.getOrLoad(1, 'user', 'x', () => Promise.resolve('from-pg'))).toBe('from-pg');
    dead.disconnect();
  });
});
