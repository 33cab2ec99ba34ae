// The hot layer's share of Redis. Redis also holds the job queues and runs with `noeviction`, so
// the hot layer must never fill it: every `pollMs` this reads Redis's used memory, and counts the
// bytes the hot layer writes between two readings; a write that would take the last reading plus
// those bytes past the cap (HOT_LAYER_MAX_MB) is not made (reads go on; entries expire by their
// TTL). bench:abuse overshot the cap by 3% when writes were free between readings. Set the cap
// below Redis's maxmemory by what the queues need.
import type { Redis } from 'ioredis';
import type { Logger } from '../infra/logger';

/**
 * What one hot entry is counted as costing Redis: its key and value, a quarter more for the
 * allocator's size classes, and 100 bytes for the key's dictionary entries, object header and
 * expiry (Redis 7 spends about 70 on a string key with a TTL). Generous on purpose: the count
 * stands in for used_memory until the next reading, so it must not fall short of it.
 */
export function hotEntryBytes(key: string, encoded: string): number {
  return Math.ceil((Buffer.byteLength(key) + Buffer.byteLength(encoded)) * 1.25) + 100;
}

export class RedisMemoryBudget {
  private over = false;
  private usedBytes: number | null = null;
  /** Bytes the hot layer has written since the last reading was asked for. */
  private written = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly redis: Redis | null,
    readonly maxBytes: number,
    private readonly logger: Logger,
    private readonly pollMs = 5_000,
  ) {}

  /** False while the last reading plus the bytes written since reach the cap (true while unknown: writes fail on their own). */
  get allowsWrites(): boolean {
    return !this.over && (this.usedBytes === null || this.usedBytes + this.written < this.maxBytes);
  }

  get lastUsedBytes(): number | null {
    return this.usedBytes;
  }

  /**
   * Whether `bytes` more may be written now; when so they are counted until the next reading.
   * The writes must go over the connection this budget reads on (it does: the hot layer's), so a
   * reading includes every write counted before it was asked for.
   */
  take(bytes: number): boolean {
    if (this.over) return false;
    if (this.usedBytes !== null && this.usedBytes + this.written + bytes > this.maxBytes) {
      this.noteOver(true, 'Redis would pass the hot layer memory cap: no new hot entries until the next reading');
      return false;
    }
    this.written += bytes;
    return true;
  }

  /** Reads INFO memory once. A failure keeps the last verdict (Redis down: nothing is written anyway). */
  async check(): Promise<void> {
    if (!this.redis || this.redis.status !== 'ready') return;
    // Writes counted from here on are not in this reading (Redis answers one connection in order).
    const countedBefore = this.written;
    const info = await this.redis.info('memory');
    const used = /^used_memory:(\d+)/m.exec(info)?.[1];
    if (used === undefined) return;
    this.usedBytes = Number(used);
    this.written = Math.max(0, this.written - countedBefore);
    this.noteOver(
      this.usedBytes >= this.maxBytes,
      this.usedBytes >= this.maxBytes
        ? 'Redis is at the hot layer memory cap: no new hot entries'
        : 'Redis is under the hot layer memory cap again',
    );
  }

  async start(): Promise<void> {
    await this.checkLogged();
    this.timer = setInterval(() => void this.checkLogged(), this.pollMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private noteOver(over: boolean, message: string): void {
    if (over !== this.over)
      this.logger.warn({ usedBytes: this.usedBytes, writtenBytes: this.written, maxBytes: this.maxBytes }, message);
    this.over = over;
  }

  private async checkLogged(): Promise<void> {
    try {
      await this.check();
    } catch (err) {
      this.logger.debug({ err }, 'hot layer budget: Redis memory unknown');
    }
  }
}
