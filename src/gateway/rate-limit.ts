// Per-API-key and per-IP request limits, shared by every gateway through Redis
// (rate-limiter-flexible), with an in-memory limiter of the same size standing in whenever Redis
// cannot answer (then each gateway counts on its own). A request with a key this gateway knows to be
// valid counts against that key only; any other (anonymous, unknown or invalid key) against its IP,
// so made-up keys cannot dodge the IP limit.
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { Logger } from '../infra/logger';
import { redisAdmits } from '../infra/redis-circuit';
import { keyFromHeaders, type Authenticator } from './auth/authenticator';
import type { RequestLimiter } from './auth/request-limiter';

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

interface ScopeLimiter {
  shared: RateLimiterRedis | null;
  local: RateLimiterMemory;
}

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
    const make = (scope: LimiterScope, points: number, duration = settings.windowSeconds): ScopeLimiter => {
      const local = new RateLimiterMemory({ points, duration, keyPrefix: scope });
      const shared = redis
        ? new RateLimiterRedis({
            storeClient: redis,
            keyPrefix: `${prefix}:ratelimit:${scope}`,
            points,
            duration,
            rejectIfRedisNotReady: true,
            insuranceLimiter: local,
            // An identity over its limit is refused from memory until its window ends: a flood
            // costs Redis nothing.
            inMemoryBlockOnConsumed: points,
          })
        : null;
      return { shared, local };
    };
    this.limiters = {
      key: make('key', settings.perKey),
      ip: make('ip', settings.perIp),
      publishable: make('publishable', settings.publishablePerMinute, 60),
    };
  }

  check(scope: RateScope, id: string): Promise<RateVerdict> {
    return this.consume(scope, scope, id);
  }

  /** The publishable keys' budget as the GraphQL and REST handlers take it (per client IP). */
  publishable(): RequestLimiter {
    return {
      take: async (key) => {
        const verdict = await this.consume('publishable', 'ip', key);
        return verdict.allowed ? { ok: true } : { ok: false, retryAfterSeconds: verdict.retryAfterSeconds };
      },
    };
  }

  private async consume(which: LimiterScope, scope: RateScope, id: string): Promise<RateVerdict> {
    const { shared, local } = this.limiters[which];
    const limiter = shared && this.redisUsable() ? shared : local;
    try {
      await limiter.consume(id);
      return { allowed: true };
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes)
        return { allowed: false, scope, retryAfterSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)) };
      // Neither store could count (cannot happen with the local insurance, but never refuse for it).
      this.logger.warn({ err: rejection, scope }, 'rate limit could not be checked; request allowed');
      return { allowed: true };
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
  const decide = async (req: IncomingMessage): Promise<RateVerdict> => {
    const key = keyFromHeaders(req.headers);
    let auth = d.authenticator.peek(key);
    // A key not seen lately is checked first (one indexed read, then kept for the auth cache's
    // time), so a valid key is never held to the address's limit.
    if (auth === undefined) auth = await d.authenticator.authenticate(key).catch(() => undefined);
    return auth?.kind === 'key'
      ? d.limiter.check('key', String(auth.keyId))
      : d.limiter.check('ip', req.socket.remoteAddress ?? 'unknown');
  };
  return (req, res) => {
    if (!counted(req.url)) {
      next(req, res);
      return;
    }
    decide(req)
      .then((v) => {
        if (v.allowed) {
          next(req, res);
          return;
        }
        d.onRefused(v.scope);
        d.logger.info({ scope: v.scope, url: req.url, retryAfterSeconds: v.retryAfterSeconds }, 'rate limited');
        refuse(req, res, v);
      })
      .catch((err: unknown) => {
        d.logger.error({ err }, 'rate limit check failed');
        next(req, res);
      });
  };
}
