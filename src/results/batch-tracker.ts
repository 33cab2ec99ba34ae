// The current Batch (newest cache_batches row; its version is mirrored in Redis by the loader).
// Kept in memory and refreshed in the background, so requests pin to it without a round trip.
import type { Redis } from 'ioredis';
import type { Pool } from 'pg';
import type { Logger } from '../infra/logger';
import { redisAdmits } from '../infra/redis-circuit';
import { BATCH_COLUMNS, batchFromRow, NO_BATCH, versionOnlyBatch, type Batch, type BatchRow } from './batch';
import { batchVersionKey } from './hot-keys';

/** Where the serving layer reads the Batch its requests pin to. */
export interface BatchSource {
  readonly current: Batch;
  /** A read saw `batch` committed: move to it if it is newer (never back). */
  observe(batch: Batch): void;
}

/** The newest cache batch (the one the gateway serves), NO_BATCH when none. */
export async function readNewestBatch(pool: Pool): Promise<Batch> {
  const { rows } = await pool.query<BatchRow>(`SELECT ${BATCH_COLUMNS} FROM cache_batches ORDER BY id DESC LIMIT 1`);
  return batchFromRow(rows[0]);
}

export class BatchTracker implements BatchSource {
  private batch: Batch = NO_BATCH;
  private timer: NodeJS.Timeout | undefined;
  private readonly listeners: ((batch: Batch) => void)[] = [];

  constructor(
    private readonly pool: Pool,
    private readonly redis: Redis | null,
    private readonly prefix: string,
    private readonly logger: Logger,
    private readonly refreshMs = 1_000,
  ) {}

  get current(): Batch {
    return this.batch;
  }

  observe(batch: Batch): void {
    if (batch.version > this.batch.version) this.set(batch);
  }

  onChange(listener: (batch: Batch) => void): void {
    this.listeners.push(listener);
  }

  /** PostgreSQL is the truth; when it is down the Redis mirror keeps hot keys reachable. */
  async refresh(): Promise<number> {
    const [fromDb, fromRedis] = await Promise.all([this.readDb(), this.readRedis()]);
    const next =
      fromDb ?? (fromRedis === null || fromRedis === this.batch.version ? this.batch : versionOnlyBatch(fromRedis));
    if (next.version !== this.batch.version) this.set(next);
    else if (next.loadedAt && !this.batch.loadedAt) this.batch = next;
    return next.version;
  }

  private set(next: Batch): void {
    const previous = this.batch.version;
    this.batch = next;
    this.logger.info({ previous, version: next.version }, 'cache batch version changed');
    for (const listener of this.listeners) listener(next);
  }

  async start(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => {
      this.refresh().catch((err: unknown) => {
        this.logger.warn({ err }, 'batch version refresh failed');
      });
    }, this.refreshMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private async readDb(): Promise<Batch | null> {
    try {
      return await readNewestBatch(this.pool);
    } catch (err) {
      this.logger.debug({ err }, 'batch version: PostgreSQL unavailable');
      return null;
    }
  }

  private async readRedis(): Promise<number | null> {
    if (!this.redis || this.redis.status !== 'ready' || !redisAdmits(this.redis)) return null;
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
