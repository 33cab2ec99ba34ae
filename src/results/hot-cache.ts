// Cache-aside over Redis with batch-versioned keys and a TTL. Concurrent misses for one key share
// one load (single flight). When Redis is down, loads go straight to PostgreSQL and nothing fails.
import type { Redis } from 'ioredis';
import { hotKey } from '../cache/cache-keys';
import type { Logger } from '../infra/logger';
import { ServingUnavailableError } from './serving-unavailable-error';

export interface HotCacheStats {
  hits: number;
  misses: number;
  errors: number;
}

/** What the recommendation service reads through: the gateway's HotCache, or the cache warmer. */
export interface HotLayer {
  getOrLoad<T>(version: number, kind: string, id: string, load: () => Promise<T>): Promise<T>;
}

export class HotCache implements HotLayer {
  private readonly inflight = new Map<string, Promise<unknown>>();
  readonly stats: HotCacheStats = { hits: 0, misses: 0, errors: 0 };

  constructor(
    private readonly redis: Redis | null,
    private readonly prefix: string,
    private readonly ttlSeconds: number,
    private readonly logger: Logger,
  ) {}

  /** Waits (up to timeoutMs) for the first connection, so a fresh gateway starts with its hot layer. */
  async waitUntilReady(timeoutMs: number): Promise<boolean> {
    const redis = this.redis;
    if (!redis) return false;
    const deadline = Date.now() + timeoutMs;
    while (redis.status !== 'ready' && Date.now() < deadline && redis.status !== 'end') {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return this.available;
  }

  get available(): boolean {
    return this.redis !== null && this.redis.status === 'ready';
  }

  /** Returns the cached value (null is a valid, cached value) or loads, stores and returns it. */
  getOrLoad<T>(version: number, kind: string, id: string, load: () => Promise<T>): Promise<T> {
    const key = hotKey(this.prefix, version, kind, id);
    const pending = this.inflight.get(key);
    if (pending) return pending as Promise<T>;
    const promise = this.fetch(key, load).finally(() => this.inflight.delete(key));
    this.inflight.set(key, promise);
    return promise;
  }

  /**
   * Writes one entry exactly as a cache-aside miss would (same key, JSON, TTL), and waits for it:
   * the cache warmer needs to know its writes landed. Throws when Redis refuses.
   */
  async store(version: number, kind: string, id: string, value: unknown): Promise<void> {
    if (!this.redis) throw new Error('the hot layer has no Redis client');
    await this.redis.set(hotKey(this.prefix, version, kind, id), encode(value), 'EX', this.ttlSeconds);
  }

  /** store() for many entries in one pipelined round trip; throws on the first entry Redis refused. */
  async storeMany(version: number, entries: readonly { kind: string; id: string; value: unknown }[]): Promise<void> {
    if (!this.redis) throw new Error('the hot layer has no Redis client');
    if (!entries.length) return;
    const pipe = this.redis.pipeline();
    for (const e of entries) pipe.set(hotKey(this.prefix, version, e.kind, e.id), encode(e.value), 'EX', this.ttlSeconds);
    const results = (await pipe.exec()) ?? [];
    const failed = results.find(([err]) => err);
    if (failed) throw failed[0]!;
  }

  /** Removes every hot entry of one batch version; returns how many keys went. */
  async invalidate(version: number): Promise<number> {
    if (!this.redis) return 0;
    if (!this.available) throw new ServingUnavailableError('Redis is unavailable: the hot layer could not be cleared; retry when /ready shows Redis up');
    const pattern = `${hotKey(this.prefix, version, '', '').slice(0, -2)}:*`;
    let cursor = '0';
    let removed = 0;
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      if (keys.length) removed += await this.redis.del(...keys);
    } while (cursor !== '0');
    return removed;
  }

  private async fetch<T>(key: string, load: () => Promise<T>): Promise<T> {
    if (this.available) {
      try {
        const raw = await this.redis!.get(key);
        if (raw !== null) {
          this.stats.hits += 1;
          return JSON.parse(raw) as T;
        }
      } catch (err) {
        this.stats.errors += 1;
        this.logger.warn({ err, key }, 'hot cache read failed; loading from PostgreSQL');
      }
    }
    this.stats.misses += 1;
    const value = await load();
    if (this.available) {
      // The write is not on the response path: a failed write only costs a later miss.
      this.redis!.set(key, encode(value), 'EX', this.ttlSeconds).catch((err: unknown) => {
        this.stats.errors += 1;
        this.logger.warn({ err, key }, 'hot cache write failed');
      });
    }
    return value;
  }
}

/** The one value encoding of the hot layer (null is a value too: "known to have no list"). */
function encode(value: unknown): string {
  return JSON.stringify(value);
}
