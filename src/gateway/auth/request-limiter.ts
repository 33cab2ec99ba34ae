// The hook publishable keys are rate-limited through: one budget per client IP. The gateway's is
// its RequestRateLimiter's (src/gateway/rate-limit.ts: window counts in Redis shared by every
// gateway, in memory while Redis cannot answer); FixedWindowLimiter is a per-process window
// that tests plug in through GatewayDeps.publishableLimiter (a budget of their own size).

export type LimitVerdict = { ok: true } | { ok: false; retryAfterSeconds: number };

export interface RequestLimiter {
  /** Counts one request against `key`'s budget and says whether it may go on. */
  take(key: string): LimitVerdict | Promise<LimitVerdict>;
}

/** Bounded: past this many tracked clients the oldest windows are forgotten (they restart full). */
const MAX_TRACKED = 100_000;

export class FixedWindowLimiter implements RequestLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly perWindow: number,
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  take(key: string): LimitVerdict {
    const now = this.now();
    let w = this.windows.get(key);
    if (!w || now - w.start >= this.windowMs) {
      this.windows.delete(key);
      if (this.windows.size >= MAX_TRACKED) {
        const oldest = this.windows.keys().next();
        if (!oldest.done) this.windows.delete(oldest.value);
      }
      w = { start: now, count: 0 };
      this.windows.set(key, w);
    }
    w.count += 1;
    if (w.count <= this.perWindow) return { ok: true };
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((w.start + this.windowMs - now) / 1000)) };
  }
}

/** A publishable key's request counts against its client IP's budget; other callers pass. */
export function limitPublishable(
  limiter: RequestLimiter,
  auth: { kind: string },
  clientIp: string | undefined,
): LimitVerdict | Promise<LimitVerdict> {
  return auth.kind === 'publishable' ? limiter.take(`publishable:${clientIp ?? 'unknown'}`) : { ok: true };
}
