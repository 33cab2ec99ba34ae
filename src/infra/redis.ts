import { Redis, type RedisOptions } from 'ioredis';
import type { Config } from '../config/config';

/**
 * BullMQ workers need `maxRetriesPerRequest: null` (blocking commands must wait through reconnects);
 * request-path clients should fail fast instead, so the gateway can fall back to PostgreSQL.
 */
export function createRedis(config: Pick<Config, 'redis'>, kind: 'worker' | 'request'): Redis {
  const options: RedisOptions =
    kind === 'worker'
      ? { maxRetriesPerRequest: null, enableReadyCheck: false }
      : { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2_000, commandTimeout: 500 };
  const redis = new Redis(config.redis.url, { ...options, lazyConnect: false });
  // Connection errors surface through the failing command and /ready; an unhandled 'error' event
  // would otherwise crash the process on every reconnect attempt.
  redis.on('error', () => undefined);
  return redis;
}

/** Resolves when the client is ready, rejects after timeoutMs (fail-fast clients queue nothing). */
export function whenReady(redis: Redis, timeoutMs = 3_000): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`Redis not reachable within ${timeoutMs} ms`));
    }, timeoutMs);
    const onReady = () => {
      cleanup();
      resolve();
    };
    const cleanup = () => {
      clearTimeout(timer);
      redis.off('ready', onReady);
    };
    redis.on('ready', onReady);
  });
}
