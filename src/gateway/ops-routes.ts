// GET /health (the process is alive), /ready (PostgreSQL, Redis, batch freshness) and /metrics.
import { Router } from 'express';
import type { Pool } from 'pg';
import type { Redis } from 'ioredis';
import type { AdminReads } from '../serving/admin-reads';
import type { GatewayMetrics } from './metrics';

const STALE_DAYS = 35;

async function within<T>(ms: number, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
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
  admin: AdminReads;
  batchVersion: () => number;
}

export async function readiness(d: ReadinessDeps): Promise<{ status: 'ready' | 'degraded' | 'unavailable'; checks: Record<string, unknown> }> {
  const check = async (fn: () => Promise<unknown>) => {
    try {
      await within(1_000, fn());
      return { ok: true };
    } catch (err) {
      return { ok: false, error: (err as Error).message };
    }
  };
  const [postgres, redis] = await Promise.all([
    check(() => d.pool.query('SELECT 1')),
    d.redis ? check(() => d.redis!.ping()) : Promise.resolve({ ok: false, error: 'not configured' }),
  ]);
  let batch: { ok: boolean; version: number; ageDays?: number | null; error?: string } = { ok: false, version: d.batchVersion() };
  if (postgres.ok) {
    try {
      const at = await within(1_000, d.admin.lastBatchLoadedAt());
      const ageDays = at ? Math.round(((Date.now() - at.getTime()) / 86_400_000) * 100) / 100 : null;
      batch = { ok: ageDays !== null && ageDays <= STALE_DAYS, version: d.batchVersion(), ageDays };
      if (ageDays === null) batch.error = 'no batch loaded yet: every answer is a fallback';
      else if (!batch.ok) batch.error = `newest batch is ${ageDays} days old (limit ${STALE_DAYS})`;
    } catch (err) {
      batch.error = (err as Error).message;
    }
  }
  const status = !postgres.ok && !redis.ok ? 'unavailable' : postgres.ok && redis.ok && batch.ok ? 'ready' : 'degraded';
  return { status, checks: { postgres, redis, batch } };
}

export function opsRouter(d: ReadinessDeps & { metrics: GatewayMetrics }): Router {
  const router = Router();
  router.get('/health', (_req, res) => {
    res.json({ status: 'ok', uptimeSeconds: Math.round(process.uptime()) });
  });
  router.get('/ready', async (_req, res) => {
    const result = await readiness(d);
    res.status(result.status === 'unavailable' ? 503 : 200).json(result);
  });
  router.get('/metrics', async (_req, res) => {
    res.setHeader('content-type', d.metrics.registry.contentType);
    res.send(await d.metrics.registry.metrics());
  });
  return router;
}
