// CORS for browsers: the origins in CORS_ORIGINS and those of active publishable keys get the
// Access-Control headers (preflights included); every other origin gets none, so browsers keep
// their pages from reading our answers. It wraps the whole handler, the response-cache lane too.
// The publishable keys' origins are re-read in the background (a new key works within a refresh).
import type { RequestListener } from 'node:http';
import cors from 'cors';
import type { Pool } from 'pg';
import type { Logger } from '../infra/logger';
import { publishableOrigins } from './auth/api-keys';

export class CorsPolicy {
  private keyOrigins = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly configured: readonly string[],
    private readonly pool: Pool,
    private readonly logger: Logger,
    private readonly refreshMs = 10_000,
  ) {}

  allows(origin: string): boolean {
    return this.configured.includes(origin) || this.keyOrigins.has(origin);
  }

  async refresh(): Promise<void> {
    try {
      this.keyOrigins = new Set(await publishableOrigins(this.pool));
    } catch (err) {
      // The last known set stays in force; configured origins never depend on PostgreSQL.
      this.logger.warn({ err }, 'could not read the origins of publishable keys');
    }
  }

  async start(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => void this.refresh(), this.refreshMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

export function withCors(policy: CorsPolicy, next: RequestListener): RequestListener {
  const middleware = cors({
    origin: (origin, done) => {
      done(null, origin !== undefined && policy.allows(origin));
    },
    methods: ['GET', 'POST', 'OPTIONS'],
    allowedHeaders: ['content-type', 'authorization', 'x-api-key', 'x-request-id', 'apollo-require-preflight'],
    exposedHeaders: ['x-request-id', 'retry-after'],
    maxAge: 600,
  });
  return (req, res) => {
    // Requests without an Origin (servers, curl) need no CORS headers.
    if (req.headers.origin === undefined) {
      next(req, res);
      return;
    }
    middleware(req, res, (err?: unknown) => {
      if (err) {
        res.statusCode = 500;
        res.end();
        return;
      }
      next(req, res);
    });
  };
}
