// Cache-aside over Redis with batch-versioned keys and a TTL. Concurrent misses for one key share
// one load (single flight). When Redis is down, loads go straight to PostgreSQL and nothing fails.
import type { Redis } from 'ioredis';
import type { Logger } from '../infra/logger';
import { HotLayerUnavailableError } from './hot-layer-unavailable-error';
import { hotKey } from './hot-keys';

export interface HotCacheStats {
  hits: number;
  misses: number;
  errors: number;
}

/** What the recommendation service reads through: the gateway's HotCache, or the cache warmer. */
export interface HotLayer {
  getOrLoad<T>(version: number, kind: string, id: string, load: () => Promise<T>): Promise<T>;
  getOrLoadMany<T>(
    version: number,
    kind: string,
    ids: readonly string[],
    load: (missing: string[]) => Promise<Map<string, T>>,
  ): Promise<Map<string, T>>;
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
    return this.readyRedis() !== null;
  }

  private readyRedis() {
    return this.redis !== null && this.redis.status === 'ready' ? this.redis : null;
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
   * Writes entries exactly as cache-aside misses would (same keys, JSON, TTL) in one pipelined
   * round trip, and waits for them: the cache warmer needs to know its writes landed. Throws on
   * the first entry Redis refused.
   */
  async storeMany(version: number, entries: readonly { kind: string; id: string; value: unknown }[]): Promise<void> {
    if (!this.redis) throw new Error('the hot layer has no Redis client');
    if (!entries.length) return;
    const pipe = this.redis.pipeline();
    for (const e of entries)
      pipe.set(hotKey(this.prefix, version, e.kind, e.id), encode(e.value), 'EX', this.ttlSeconds);
    const results = (await pipe.exec()) ?? [];
    const failed = results.find(([err]) => err);
    if (failed?.[0]) throw failed[0];
  }

  /**
   * getOrLoad for many ids of one kind: one MGET, one load of the ids Redis did not have, then one
   * pipelined write of those (not awaited, like a single miss's write).
   */
  async getOrLoadMany<T>(
    version: number,
    kind: string,
    ids: readonly string[],
    load: (missing: string[]) => Promise<Map<string, T>>,
  ): Promise<Map<string, T>> {
    const out = new Map<string, T>();
    let missing = [...ids];
    const redis = ids.length ? this.readyRedis() : null;
    if (redis) {
      try {
        const raws = await redis.mget(...ids.map((id) => hotKey(this.prefix, version, kind, id)));
        missing = [];
        ids.forEach((id, i) => {
          const raw = raws[i];
          if (raw === null || raw === undefined) missing.push(id);
          else out.set(id, JSON.parse(raw) as T);
        });
        this.stats.hits += out.size;
      } catch (err) {
        this.stats.errors += 1;
        this.logger.warn({ err, kind }, 'hot cache read failed; loading from PostgreSQL');
      }
    }
    if (!missing.length) return out;
    this.stats.misses += missing.length;
    const loaded = await load(missing);
    for (const [id, value] of loaded) out.set(id, value);
    if (this.available) {
      this.storeMany(
        version,
        [...loaded].map(([id, value]) => ({ kind, id, value })),
      ).catch((err: unknown) => {
        this.stats.errors += 1;
        this.logger.warn({ err, kind }, 'hot cache write failed');
      });
    }
    return out;
  }

  /** Removes every hot entry of one batch version; returns how many keys went. */
  async invalidate(version: number): Promise<number> {
    if (!this.redis) return 0;
    if (!this.available)
      throw new HotLayerUnavailableError(
        'Redis is unavailable: the hot layer could not be cleared; retry when /ready shows Redis up',
      );
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
    const redis = this.readyRedis();
    if (redis) {
      try {
        const raw = await redis.get(key);
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
    const writer = this.readyRedis();
    if (writer) {
      // The write is not on the response path: a failed write only costs a later miss.
      writer.set(key, encode(value), 'EX', this.ttlSeconds).catch((err: unknown) => {
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
