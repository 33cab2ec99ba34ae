// The current cache batch version (newest cache_batches.id, mirrored in Redis by the loader). Kept
// in memory and refreshed in the background, so requests never pay a round trip for it.
import type { Redis } from 'ioredis';
import type { Pool } from 'pg';
import { batchVersionKey } from '../cache/cache-keys';
import type { Logger } from '../infra/logger';

/** Where the serving layer reads the batch version its hot keys carry. */
export interface BatchVersionSource {
  readonly current: number;
  /** A read saw batch `version` committed: move to it if it is newer (never back). */
  observe(version: number): void;
}

export class BatchVersionTracker implements BatchVersionSource {
  private version = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly listeners: ((version: number) => void)[] = [];

  constructor(
    private readonly pool: Pool,
    private readonly redis: Redis | null,
    private readonly prefix: string,
    private readonly logger: Logger,
    private readonly refreshMs = 1_000,
  ) {}

  get current(): number {
    return this.version;
  }

  observe(version: number): void {
    if (version > this.version) this.set(version);
  }

  onChange(listener: (version: number) => void): void {
    this.listeners.push(listener);
  }

  /** PostgreSQL is the truth; when it is down the Redis mirror keeps hot keys reachable. */
  async refresh(): Promise<number> {
    const [fromDb, fromRedis] = await Promise.all([this.readDb(), this.readRedis()]);
    const next = fromDb ?? fromRedis ?? this.version;
    if (next !== this.version) this.set(next);
    return next;
  }

  private set(next: number): void {
    const previous = this.version;
    this.version = next;
    this.logger.info({ previous, version: next }, 'cache batch version changed');
    for (const listener of this.listeners) listener(next);
  }

  async start(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => {
      this.refresh().catch((err: unknown) => this.logger.warn({ err }, 'batch version refresh failed'));
    }, this.refreshMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private async readDb(): Promise<number | null> {
    try {
      const { rows } = await this.pool.query<{ id: number | null }>('SELECT max(id) AS id FROM cache_batches');
      return rows[0]?.id ?? 0;
    } catch (err) {
      this.logger.debug({ err }, 'batch version: PostgreSQL unavailable');
      return null;
    }
  }

  private async readRedis(): Promise<number | null> {
    if (!this.redis || this.redis.status !== 'ready') return null;
    try {
      const raw = await this.redis.get(batchVersionKey(this.prefix));
      const n = raw === null ? NaN : Number(raw);
      return Number.isInteger(n) ? n : null;
    } catch (err) {
      this.logger.debug({ err }, 'batch version: Redis unavailable');
      return null;
    }
  }
}
