// What createGateway needs. Everything is built by the caller (recs serve, the demo, tests) and
// passed in; the gateway creates only what is missing (Redis clients, queues) and closes only that.
import type { Queue } from 'bullmq';
import type { Router } from 'express';
import type { Redis } from 'ioredis';
import type { Config } from '../config/config';
import type { Database } from '../db/database';
import type { ServingRanker } from '../engine/ranker';
import type { Logger } from '../infra/logger';
import type { PipelineService } from '../pipeline/pipeline-service';
import type { RequestLimiter } from './auth/request-limiter';

export interface GatewayDeps {
  config: Config;
  logger: Logger;
  db: Database;
  pipeline: PipelineService;
  /** The personalized-ranking model; null or absent (or ranking null) when none is trained: rankItems falls back. */
  ranker?: ServingRanker | null;
  /** Request-path Redis (fail-fast). undefined: the gateway creates one; null: run without Redis. */
  redis?: Redis | null;
  /** BullMQ queues, one per registry name; undefined: the gateway creates them. */
  queues?: Queue[];
  /** The connection of `queues` when they are passed in, so /ready can report its circuit. */
  queueConnection?: Redis;
  /** Extra routers mounted before the JSON parser (e.g. { path: '/webhooks/shopify', router }). */
  routers?: { path: string; router: Router }[];
  /** Whole-response cache size (entries); 0 disables it. Default: config.cache.responseEntries. */
  responseCacheEntries?: number;
  /** How often the batch version is re-read (ms). Default 1,000. */
  batchVersionRefreshMs?: number;
  /** How long an API key lookup is trusted (ms). Default 10,000. */
  authCacheMs?: number;
  /** Publishable keys' per-IP budget. Default: PUBLISHABLE_RATE_PER_MINUTE in this process's memory. */
  publishableLimiter?: RequestLimiter;
  /** How often the publishable keys' origins are re-read for CORS (ms). Default 10,000. */
  corsRefreshMs?: number;
}

export interface Gateway {
  /** The whole HTTP request handler: the response-cache lane in front of the Express app. */
  readonly handler: import('node:http').RequestListener;
  /** Starts the HTTP server (defaults: config.http.port / host); resolves with its URL. */
  listen(port?: number, host?: string): Promise<{ url: string; port: number }>;
  /** Stops accepting requests, then closes Apollo, timers, and the clients the gateway created. */
  close(): Promise<void>;
}
