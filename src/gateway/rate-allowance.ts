// One request limit shared by every gateway through Redis, decided locally. Asking Redis for every
// request cost the storefront mix about 15% of the gateway's busy time (one round trip a request);
// here a gateway takes an allowance of points from the identity's window count in Redis at a time
// (a lease: one atomic script that grants at most what the window still has) and spends it from
// memory. A lease is refilled in the background once half of it is spent, so a busy identity costs
// Redis one round trip per `lease` requests and a request waits for Redis only when its gateway
// holds no points at all.
//
// Correctness across gateways: every admitted request spent a point that Redis counted in its
// window, so while Redis answers no identity is admitted more than its limit per window, however
// many gateways serve it. The error is the other way: points another gateway has leased but not
// spent are not available here, so an identity may be refused up to 1.5 leases per other gateway
// before its limit (the lease is 1% of the limit, at least 1 point: a limit under 200 asks Redis
// for every request, as before). A window's local end is taken from the Redis key's TTL as seen
// when the lease was asked for, so it ends here no later than in Redis.
import type { Redis } from 'ioredis';

/** Grants min(ARGV[1], limit - used) points of the window at KEYS[1]; returns {granted, window ms left}. */
const LEASE_SCRIPT = `
local want = tonumber(ARGV[1])
local limit = tonumber(ARGV[3])
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
local grant = math.max(0, math.min(want, limit - used))
if grant > 0 then redis.call('INCRBY', KEYS[1], grant) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  ttl = tonumber(ARGV[2])
  if grant > 0 then redis.call('PEXPIRE', KEYS[1], ttl) end
end
return {grant, ttl}`;

/** Share of the limit one lease takes. */
const LEASE_SHARE = 0.01;
/** Bounded: past this many tracked identities the oldest allowance is dropped (its points unspent). */
const MAX_TRACKED = 100_000;

export type Spend = { ok: true } | { ok: false; msBeforeNext: number };

interface Allowance {
  /** Points held for the current window, not yet spent. */
  left: number;
  /** When the window ends (local clock, ms); 0 before the first lease. */
  endsAt: number;
  /** Redis granted nothing: the window is used up, refused from memory until it ends. */
  exhausted: boolean;
  refill: Promise<void> | null;
}

export class LeasedWindow {
  readonly lease: number;
  private readonly allowances = new Map<string, Allowance>();

  constructor(
    private readonly redis: Redis,
    /** Redis key prefix of this limit's window counts. */
    private readonly keyPrefix: string,
    private readonly points: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.lease = Math.max(1, Math.floor(points * LEASE_SHARE));
  }

  /**
   * Spends one point of `id`'s window: synchronously while this gateway holds points (or knows the
   * window is used up), otherwise after one lease from Redis. Rejects when Redis cannot answer.
   */
  spend(id: string): Spend | Promise<Spend> {
    const a = this.allowance(id);
    const now = this.now();
    if (now >= a.endsAt) {
      // The window is over: unspent points expired with it in Redis.
      a.left = 0;
      a.exhausted = false;
    }
    if (a.left > 0) {
      a.left -= 1;
      if (a.left <= this.lease >> 1 && this.lease > 1) this.refillSoon(id, a);
      return { ok: true };
    }
    if (a.exhausted) return { ok: false, msBeforeNext: a.endsAt - now };
    // Spends waiting on one lease share it; one the others took first asks for the next.
    return this.refill(id, a).then(() => this.spend(id));
  }

  private allowance(id: string): Allowance {
    let a = this.allowances.get(id);
    if (a) return a;
    if (this.allowances.size >= MAX_TRACKED) {
      const oldest = this.allowances.keys().next();
      if (!oldest.done) this.allowances.delete(oldest.value);
    }
    a = { left: 0, endsAt: 0, exhausted: false, refill: null };
    this.allowances.set(id, a);
    return a;
  }

  /** A background refill: its failure is only a missed prefetch (the next spend that needs points asks again). */
  private refillSoon(id: string, a: Allowance): void {
    if (a.refill || a.exhausted) return;
    this.refill(id, a).catch(() => undefined);
  }

  /** One lease from Redis (shared by every spend waiting on it). */
  private refill(id: string, a: Allowance): Promise<void> {
    if (a.refill) return a.refill;
    const asked = this.now();
    const done = (
      this.redis.eval(LEASE_SCRIPT, 1, `${this.keyPrefix}:${id}`, this.lease, this.windowMs, this.points) as Promise<
        [number, number]
      >
    ).then(
      ([granted, ttl]) => {
        a.refill = null;
        const endsAt = asked + ttl;
        // Points of an ended window are gone; a lease of the same window adds to what is left.
        if (this.now() >= a.endsAt || endsAt > a.endsAt + this.windowMs / 2) a.left = 0;
        a.left += granted;
        a.endsAt = endsAt;
        a.exhausted = granted === 0;
      },
      (err: unknown) => {
        a.refill = null;
        throw err;
      },
    );
    a.refill = done;
    return done;
  }
}
