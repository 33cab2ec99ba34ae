// Per-API-key and per-IP request limits, shared by every gateway through Redis and decided from
// memory (LeasedWindow, rate-allowance.ts: each gateway spends points it leased from the window's
// count in Redis, so a request rarely waits for Redis), with rate-limiter-flexible's in-memory
// limiter of the same size standing in whenever Redis cannot answer (then each gateway counts on
// its own). A request with a key this gateway knows to be valid counts against that key only; any
// other (anonymous, unknown or invalid key) against its IP, so made-up keys cannot dodge the IP limit.
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { Logger } from '../infra/logger';
import { redisAdmits } from '../infra/redis-circuit';
import { keyFromHeaders, type AuthState, type Authenticator } from './auth/authenticator';
import type { LimitVerdict, RequestLimiter } from './auth/request-limiter';
import { LeasedWindow, type Spend } from './rate-allowance';

export interface RateLimitSettings {
  /** Requests per window per API key, and per client IP. */
  perKey: number;
  perIp: number;
  windowSeconds: number;
  /** Requests per minute per client IP with a publishable key (checked where the key is known). */
  publishablePerMinute: number;
}

export type RateScope = 'key' | 'ip';
/** The limits this limiter keeps: the request limits, and the publishable keys' per-IP budget. */
type LimiterScope = RateScope | 'publishable';

export type RateVerdict = { allowed: true } | { allowed: false; scope: RateScope; retryAfterSeconds: number };

const ALLOWED: RateVerdict = Object.freeze({ allowed: true });

interface ScopeLimiter {
  shared: LeasedWindow | null;
  local: RateLimiterMemory;
}

const retryAfter = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

export class RequestRateLimiter {
  private readonly limiters: Record<LimiterScope, ScopeLimiter>;

  constructor(
    redis: Redis | null,
    prefix: string,
    settings: RateLimitSettings,
    private readonly logger: Logger,
    /** Whether Redis may be asked now (false while its circuit is open: the local limiter answers). */
    private readonly redisUsable: () => boolean = () => redis?.status === 'ready' && redisAdmits(redis),
  ) {
    const make = (scope: LimiterScope, points: number, seconds = settings.windowSeconds): ScopeLimiter => ({
      shared: redis ? new LeasedWindow(redis, `${prefix}:ratelimit:${scope}`, points, seconds * 1000) : null,
      local: new RateLimiterMemory({ points, duration: seconds, keyPrefix: scope }),
    });
    this.limiters = {
      key: make('key', settings.perKey),
      ip: make('ip', settings.perIp),
      publishable: make('publishable', settings.publishablePerMinute, 60),
    };
  }

  /** Synchronous while the decision can be taken from memory (most requests). */
  check(scope: RateScope, id: string): RateVerdict | Promise<RateVerdict> {
    return this.consume(this.limiters[scope], scope, id);
  }

  /** The publishable keys' budget as the GraphQL and REST handlers take it (per client IP). */
  publishable(): RequestLimiter {
    const toLimit = (v: RateVerdict): LimitVerdict =>
      v.allowed ? { ok: true } : { ok: false, retryAfterSeconds: v.retryAfterSeconds };
    return {
      take: (key) => {
        const verdict = this.consume(this.limiters.publishable, 'ip', key);
        return verdict instanceof Promise ? verdict.then(toLimit) : toLimit(verdict);
      },
    };
  }

  private consume({ shared, local }: ScopeLimiter, scope: RateScope, id: string): RateVerdict | Promise<RateVerdict> {
    if (!shared || !this.redisUsable()) return this.fromMemory(local, scope, id);
    const verdict = (s: Spend): RateVerdict =>
      s.ok ? ALLOWED : { allowed: false, scope, retryAfterSeconds: retryAfter(s.msBeforeNext) };
    let spent: Spend | Promise<Spend>;
    try {
      spent = shared.spend(id);
    } catch (err) {
      return this.afterRedisFailed(err, local, scope, id);
    }
    return spent instanceof Promise
      ? spent.then(verdict, (err: unknown) => this.afterRedisFailed(err, local, scope, id))
      : verdict(spent);
  }

  private afterRedisFailed(err: unknown, local: RateLimiterMemory, scope: RateScope, id: string): Promise<RateVerdict> {
    this.logger.warn({ err, scope }, 'rate limit lease from Redis failed; counting in memory');
    return this.fromMemory(local, scope, id);
  }

  private async fromMemory(local: RateLimiterMemory, scope: RateScope, id: string): Promise<RateVerdict> {
    try {
      await local.consume(id);
      return ALLOWED;
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes)
        return { allowed: false, scope, retryAfterSeconds: retryAfter(rejection.msBeforeNext) };
      // The memory limiter rejects only with a RateLimiterRes; never refuse a request for anything else.
      this.logger.warn({ err: rejection, scope }, 'rate limit could not be checked; request allowed');
      return ALLOWED;
    }
  }
}

/** Paths whose requests count: the APIs (GraphQL, REST), not the ops routes, webhooks or dashboards. */
function counted(url: string | undefined): boolean {
  return url !== undefined && (url.startsWith('/graphql') || url.startsWith('/api/'));
}

function refuse(req: IncomingMessage, res: ServerResponse, verdict: Extract<RateVerdict, { allowed: false }>): void {
  const message = `rate limit exceeded for this ${verdict.scope === 'key' ? 'API key' : 'client address'}; retry in ${verdict.retryAfterSeconds} s`;
  const extensions = { code: 'RATE_LIMITED', retryAfterSeconds: verdict.retryAfterSeconds };
  const body = JSON.stringify(
    req.url?.startsWith('/graphql')
      ? { errors: [{ message, extensions }] }
      : { error: 'RATE_LIMITED', message, retryAfterSeconds: verdict.retryAfterSeconds },
  );
  res.writeHead(429, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'retry-after': String(verdict.retryAfterSeconds),
    'cache-control': 'no-store',
  });
  res.end(body);
}

export interface RateLimitedDeps {
  limiter: RequestRateLimiter;
  authenticator: Authenticator;
  logger: Logger;
  /** Counts each refusal (metrics). */
  onRefused: (scope: RateScope) => void;
}

/** The gateway's request handler behind the limits: a refused request is answered 429 with Retry-After. */
export function rateLimited(d: RateLimitedDeps, next: RequestListener): RequestListener {
  const limit = (auth: AuthState | undefined, req: IncomingMessage) =>
    auth?.kind === 'key'
      ? d.limiter.check('key', String(auth.keyId))
      : d.limiter.check('ip', req.socket.remoteAddress ?? 'unknown');
  const decide = (req: IncomingMessage): RateVerdict | Promise<RateVerdict> => {
    const key = keyFromHeaders(req.headers);
    const auth = d.authenticator.peek(key);
    if (auth !== undefined) return limit(auth, req);
    // A key not seen lately is checked first (one indexed read, then kept for the auth cache's
    // time), so a valid key is never held to the address's limit.
    return d.authenticator
      .authenticate(key)
      .catch(() => undefined)
      .then((a) => limit(a, req));
  };
  return (req, res) => {
    if (!counted(req.url)) {
      next(req, res);
      return;
    }
    const act = (v: RateVerdict) => {
      if (v.allowed) {
        next(req, res);
        return;
      }
      d.onRefused(v.scope);
      d.logger.info({ scope: v.scope, url: req.url, retryAfterSeconds: v.retryAfterSeconds }, 'rate limited');
      refuse(req, res, v);
    };
    const verdict = decide(req);
    if (!(verdict instanceof Promise)) {
      act(verdict);
      return;
    }
    verdict.then(act).catch((err: unknown) => {
      d.logger.error({ err }, 'rate limit check failed');
      next(req, res);
    });
  };
}
