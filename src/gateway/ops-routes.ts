// GET /health (the process is alive), /ready (PostgreSQL, Redis, batch freshness) and /metrics.
// Freshness is the served Batch's (src/results defines it), read from memory: no query.
import { createHash, timingSafeEqual } from 'node:crypto';
import { Router } from 'express';
import type { Pool } from 'pg';
import type { Redis } from 'ioredis';
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

export async function readiness(
  d: ReadinessDeps,
): Promise<{ status: 'ready' | 'degraded' | 'unavailable'; checks: Record<string, unknown> }> {
  const check = async (fn: () => Promise<unknown>) => {
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
  return { status, checks: { postgres, redis, batch } };
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
  router.get('/health', (_req, res) => {
    res.json({ status: 'ok', uptimeSeconds: Math.round(process.uptime()) });
  });
  router.get('/ready', async (_req, res) => {
    const result = await readiness(d);
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
