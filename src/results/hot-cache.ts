// Cache-aside over Redis with batch-versioned keys and a TTL. Concurrent misses for one key share
// one load (single flight). When Redis is down, loads go straight to PostgreSQL and nothing fails.
// "Nothing here" answers (unknown ids) are remembered in process memory only, in a bounded LRU for
// a short time: anyone can send unknown ids, and Redis also holds the job queues and never evicts.
// Redis takes new entries only while its memory stays under the hot layer's cap (`mayWrite`, which
// counts the bytes of every write: hot-memory-budget.ts).
import type { Redis } from 'ioredis';
import { ExpiringLru } from '../infra/expiring-lru';
import type { Logger } from '../infra/logger';
import { redisAdmits } from '../infra/redis-circuit';
import { HotLayerUnavailableError } from './hot-layer-unavailable-error';
import { hotKey } from './hot-keys';
import { hotEntryBytes } from './hot-memory-budget';

export interface HotCacheStats {
  hits: number;
  misses: number;
  errors: number;
  /** Entries not written because Redis was over the hot layer's memory cap. */
  skippedWrites: number;
}

export interface HotCacheOptions {
  /** How many "nothing here" answers the process remembers, and for how long. */
  negativeEntries: number;
  negativeTtlMs: number;
  /** Whether Redis may take `bytes` more of hot entries now, counting them if so (RedisMemoryBudget.take). */
  mayWrite: (bytes: number) => boolean;
}

const DEFAULT_OPTIONS: HotCacheOptions = { negativeEntries: 100_000, negativeTtlMs: 60_000, mayWrite: () => true };

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
  readonly stats: HotCacheStats = { hits: 0, misses: 0, errors: 0, skippedWrites: 0 };
  private readonly negative: ExpiringLru<true>;
  private readonly mayWrite: (bytes: number) => boolean;

  constructor(
    private readonly redis: Redis | null,
    private readonly prefix: string,
    private readonly ttlSeconds: number,
    private readonly logger: Logger,
    options: Partial<HotCacheOptions> = {},
  ) {
    const o = { ...DEFAULT_OPTIONS, ...options };
    this.negative = new ExpiringLru(o.negativeEntries, o.negativeTtlMs);
    this.mayWrite = o.mayWrite;
  }

  /** How many "nothing here" answers are remembered in memory now. */
  get negativeSize(): number {
    return this.negative.size;
  }

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

  /** Whether Redis answers a PING now (bounded by the connection's command timeout). */
  async answers(): Promise<boolean> {
    const redis = this.readyRedis();
    if (!redis) return false;
    try {
      await redis.ping();
      return true;
    } catch (err) {
      this.logger.debug({ err }, 'hot layer: Redis did not answer a PING');
      return false;
    }
  }

  get available(): boolean {
    return this.readyRedis() !== null;
  }

  private readyRedis() {
    // An open circuit refuses every command at once: not asking spares the refusal and its log line.
    return this.redis !== null && this.redis.status === 'ready' && redisAdmits(this.redis) ? this.redis : null;
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
   * round trip, and waits for them: the cache warmer needs to know its writes landed. False (and
   * nothing written) when they would take Redis past the hot layer's cap; throws on the first
   * entry Redis refused.
   */
  async storeMany(version: number, entries: readonly { kind: string; id: string; value: unknown }[]): Promise<boolean> {
    if (!this.redis) throw new Error('the hot layer has no Redis client');
    if (!entries.length) return true;
    const encoded = entries.map((e) => [hotKey(this.prefix, version, e.kind, e.id), encode(e.value)] as const);
    if (!this.writable(encoded)) return false;
    const pipe = this.redis.pipeline();
    for (const [key, value] of encoded) pipe.set(key, value, 'EX', this.ttlSeconds);
    const results = (await pipe.exec()) ?? [];
    const failed = results.find(([err]) => err);
    if (failed?.[0]) throw failed[0];
    return true;
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
    const known: string[] = [];
    for (const id of ids) {
      if (this.negative.get(hotKey(this.prefix, version, kind, id))) out.set(id, null as T);
      else known.push(id);
    }
    this.stats.hits += out.size;
    let missing = known;
    const redis = known.length ? this.readyRedis() : null;
    if (redis) {
      try {
        const raws = await redis.mget(...known.map((id) => hotKey(this.prefix, version, kind, id)));
        missing = [];
        known.forEach((id, i) => {
          const raw = raws[i];
          if (raw === null || raw === undefined) missing.push(id);
          else out.set(id, JSON.parse(raw) as T);
        });
        this.stats.hits += known.length - missing.length;
      } catch (err) {
        this.stats.errors += 1;
        this.logger.warn({ err, kind }, 'hot cache read failed; loading from PostgreSQL');
      }
    }
    if (!missing.length) return out;
    this.stats.misses += missing.length;
    const loaded = await load(missing);
    const toStore: { kind: string; id: string; value: unknown }[] = [];
    for (const [id, value] of loaded) {
      out.set(id, value);
      if (value === null) this.negative.set(hotKey(this.prefix, version, kind, id), true);
      else toStore.push({ kind, id, value });
    }
    if (toStore.length && this.available) {
      this.storeMany(version, toStore).catch((err: unknown) => {
        this.stats.errors += 1;
        this.logger.warn({ err, kind }, 'hot cache write failed');
      });
    }
    return out;
  }

  /** Removes every hot entry of one batch version; returns how many keys went. */
  async invalidate(version: number): Promise<number> {
    this.negative.clear();
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

  /** Whether Redis may take these entries (counted against the cap when so, as skipped when not). */
  private writable(entries: readonly (readonly [key: string, encoded: string])[]): boolean {
    let bytes = 0;
    for (const [key, encoded] of entries) bytes += hotEntryBytes(key, encoded);
    if (this.mayWrite(bytes)) return true;
    this.stats.skippedWrites += entries.length;
    return false;
  }

  private async fetch<T>(key: string, load: () => Promise<T>): Promise<T> {
    if (this.negative.get(key)) {
      this.stats.hits += 1;
      return null as T;
    }
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
    if (value === null) {
      this.negative.set(key, true);
      return value;
    }
    const writer = this.readyRedis();
    const encoded = encode(value);
    if (writer && this.writable([[key, encoded]])) {
      // The write is not on the response path: a failed write only costs a later miss.
      writer.set(key, encoded, 'EX', this.ttlSeconds).catch((err: unknown) => {
        this.stats.errors += 1;
        this.logger.warn({ err, key }, 'hot cache write failed');
      });
    }
    return value;
  }
}

/** The one value encoding of the hot layer (null is a value too: the warmer stores "known to have no list"). */
function encode(value: unknown): string {
  return JSON.stringify(value);
}
