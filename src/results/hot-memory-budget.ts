// The hot layer's share of Redis. Redis also holds the job queues and runs with `noeviction`, so
// the hot layer must never fill it: every `pollMs` this reads Redis's used memory, and while it is
// at or over the cap (HOT_LAYER_MAX_MB) the hot layer writes nothing new (reads go on; entries
// expire by their TTL). Set the cap below Redis's maxmemory by what the queues need.
import type { Redis } from 'ioredis';
import type { Logger } from '../infra/logger';

export class RedisMemoryBudget {
  private over = false;
  private usedBytes: number | null = null;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly redis: Redis | null,
    readonly maxBytes: number,
    private readonly logger: Logger,
    private readonly pollMs = 5_000,
  ) {}

  /** False while Redis's used memory is at or over the cap (true while unknown: writes fail on their own). */
  get allowsWrites(): boolean {
    return !this.over;
  }

  get lastUsedBytes(): number | null {
    return this.usedBytes;
  }

  /** Reads INFO memory once. A failure keeps the last verdict (Redis down: nothing is written anyway). */
  async check(): Promise<void> {
    if (!this.redis || this.redis.status !== 'ready') return;
    const info = await this.redis.info('memory');
    const used = /^used_memory:(\d+)/m.exec(info)?.[1];
    if (used === undefined) return;
    this.usedBytes = Number(used);
    const over = this.usedBytes >= this.maxBytes;
    if (over !== this.over)
      this.logger.warn(
        { usedBytes: this.usedBytes, maxBytes: this.maxBytes },
        over
          ? 'Redis is at the hot layer memory cap: no new hot entries'
          : 'Redis is under the hot layer memory cap again',
      );
    this.over = over;
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

  private async checkLogged(): Promise<void> {
    try {
      await this.check();
    } catch (err) {
      this.logger.debug({ err }, 'hot layer budget: Redis memory unknown');
    }
  }
}
