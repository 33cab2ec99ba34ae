// GET /health (the process is alive), /ready (PostgreSQL, Redis, batch freshness, and for each
// failing one since when and why) and /metrics.
// Freshness is the served Batch's (src/results defines it), read from memory: no query.
import { createHash, timingSafeEqual } from 'node:crypto';
import { Router } from 'express';
import type { Pool } from 'pg';
import type { Redis } from 'ioredis';
import { GuardedRedis } from '../infra/redis-circuit';
import { freshnessDays, isStale, MAX_BATCH_AGE_DAYS, type Batch } from '../results';
import type { GatewayMetrics } from './metrics';

async function within<T>(ms: number, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`no answer within ${ms} ms`));
    }, ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export interface ReadinessDeps {
  pool: Pool;
  redis: Redis | null;
  /** The Batch being served. */
  batch: () => Batch;
}

type Check = { ok: boolean; error?: string };
export type Dependency = 'postgres' | 'redis' | 'batch';

/** One failing check: what, since when (first failed check in a row, or the circuit's opening), why. */
export interface Degradation {
  dependency: Dependency;
  since: string;
  reason: string;
}

export interface Readiness {
  status: 'ready' | 'degraded' | 'unavailable';
  checks: Record<string, unknown>;
  degraded: Degradation[];
}

/** Remembers when each dependency's checks began failing (per gateway process). */
export class FailingSince {
  private readonly since = new Map<Dependency, number>();

  constructor(private readonly now: () => number = Date.now) {}

  note(dependency: Dependency, ok: boolean, earliest: Date | null = null): Date | null {
    if (ok) {
      this.since.delete(dependency);
      return null;
    }
    const known = this.since.get(dependency) ?? this.now();
    const first = earliest ? Math.min(known, earliest.getTime()) : known;
    this.since.set(dependency, first);
    return new Date(first);
  }
}

export async function readiness(d: ReadinessDeps, failing = new FailingSince()): Promise<Readiness> {
  const check = async (fn: () => Promise<unknown>): Promise<Check> => {
    try {
      await within(1_000, fn());
      return { ok: true };
    } catch (err) {
      return { ok: false, error: (err as Error).message };
    }
  };
  const redisClient = d.redis;
  const [postgres, redis] = await Promise.all([
    check(() => d.pool.query('SELECT 1')),
    redisClient ? check(() => redisClient.ping()) : Promise.resolve({ ok: false, error: 'not configured' }),
  ]);
  const served = d.batch();
  let batch: { ok: boolean; version: number; ageDays?: number | null; error?: string } = {
    ok: false,
    version: served.version,
  };
  if (postgres.ok) {
    const now = Date.now();
    const ageDays = freshnessDays(served, now);
    batch = { ok: !isStale(served, now), version: served.version, ageDays };
    if (ageDays === null) batch.error = 'no batch loaded yet: every answer is a fallback';
    else if (!batch.ok) batch.error = `newest batch is ${ageDays} days old (limit ${MAX_BATCH_AGE_DAYS})`;
  }
  const status = !postgres.ok && !redis.ok ? 'unavailable' : postgres.ok && redis.ok && batch.ok ? 'ready' : 'degraded';
  // An open circuit dates from its opening (the checks only ask once a second, at best).
  const circuit = redisClient instanceof GuardedRedis ? redisClient.circuit.view() : null;
  const redisCheck = circuit?.open ? { ...redis, circuit: 'open' } : redis;
  const checks = { postgres, redis: redisCheck, batch };
  const degraded: Degradation[] = [];
  for (const dependency of ['postgres', 'redis', 'batch'] as const) {
    const c: Check = checks[dependency];
    const since = failing.note(dependency, c.ok, dependency === 'redis' ? (circuit?.since ?? null) : null);
    const reason = c.error ?? (dependency === 'batch' ? 'age unknown while PostgreSQL is unavailable' : 'failing');
    if (since) degraded.push({ dependency, since: since.toISOString(), reason });
  }
  return { status, checks, degraded };
}

/** Whether the request carries the metrics token (compared in constant time). */
function hasToken(header: string | undefined, token: string): boolean {
  const sent = /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1] ?? '';
  const a = createHash('sha256').update(sent).digest();
  const b = createHash('sha256').update(token).digest();
  return timingSafeEqual(a, b);
}

export function opsRouter(d: ReadinessDeps & { metrics: GatewayMetrics; metricsToken?: string }): Router {
  const router = Router();
  const failing = new FailingSince();
  router.get('/health', (_req, res) => {
    res.json({ status: 'ok', uptimeSeconds: Math.round(process.uptime()) });
  });
  router.get('/ready', async (_req, res) => {
    const result = await readiness(d, failing);
    res.status(result.status === 'unavailable' ? 503 : 200).json(result);
  });
  router.get('/metrics', async (req, res) => {
    if (d.metricsToken !== undefined && !hasToken(req.headers.authorization, d.metricsToken)) {
      res.status(401).setHeader('www-authenticate', 'Bearer').json({
        error: 'UNAUTHENTICATED',
        message: '/metrics needs "Authorization: Bearer <METRICS_TOKEN>"',
      });
      return;
    }
    res.setHeader('content-type', d.metrics.registry.contentType);
    res.send(await d.metrics.registry.metrics());
  });
  return router;
}
