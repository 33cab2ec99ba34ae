// Prometheus metrics of one gateway (its own registry, so several gateways can live in one process).
// Request latency per operation is observed as requests end; the rest is computed at scrape time.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Queue } from 'bullmq';
import type { Logger } from '../infra/logger';
import type { HotCache } from '../results';
import type { AdminReads, CoverageFigures } from '../serving/admin-reads';
import type { ResponseCache } from './response-cache';
import { ADMISSION_CLASSES, type Admission, type AdmissionClass, type ShedReason } from './admission';

export interface MetricsSources {
  hot: HotCache;
  responseCache: ResponseCache;
  admin: AdminReads;
  queues: Queue[];
  batchVersion: () => number;
  /** Times this gateway's recent-activity subscription was lost (activity-subscriber.ts). */
  activityFeedLosses?: () => number;
  logger: Logger;
}

export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly duration: Histogram<'operation' | 'path'>;
  private readonly children = {
    'response-cache': new Map<string, Histogram.Internal<'operation' | 'path'>>(),
    executed: new Map<string, Histogram.Internal<'operation' | 'path'>>(),
  };

  private readonly refused: Counter<'scope'>;
  private readonly shedCount: Counter<'class' | 'reason'>;

  constructor(sources: MetricsSources | null, opts: { defaultMetrics?: boolean } = {}) {
    if (opts.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry });
    this.duration = new Histogram({
      name: 'recs_graphql_request_duration_seconds',
      help: 'GraphQL request latency per operation; path is "response-cache" or "executed"',
      labelNames: ['operation', 'path'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [this.registry],
    });
    this.refused = new Counter({
      name: 'recs_rate_limited_total',
      help: 'Requests refused 429 by the rate limits, per scope (key or ip)',
      labelNames: ['scope'],
      registers: [this.registry],
    });
    this.shedCount = new Counter({
      name: 'recs_shed_requests_total',
      help: 'API requests answered 503 OVERLOADED by admission control, per credential class and reason (queue-full, wait-expired)',
      labelNames: ['class', 'reason'],
      registers: [this.registry],
    });
    if (sources) this.registerSourced(sources);
  }

  shed(cls: AdmissionClass, reason: ShedReason): void {
    this.shedCount.inc({ class: cls, reason });
  }

  /** Requests executing and waiting per credential class, read at scrape time. */
  watchAdmission(admission: Admission): void {
    new Gauge({
      name: 'recs_admission_in_flight',
      help: 'API requests executing now, per credential class (bounded by ADMISSION_*_IN_FLIGHT)',
      labelNames: ['class'],
      registers: [this.registry],
      collect() {
        for (const cls of ADMISSION_CLASSES) this.set({ class: cls }, admission.inFlightOf(cls));
      },
    });
    new Gauge({
      name: 'recs_admission_queued',
      help: 'API requests waiting for a slot now, per credential class (bounded by ADMISSION_QUEUE_LENGTH)',
      labelNames: ['class'],
      registers: [this.registry],
      collect() {
        for (const cls of ADMISSION_CLASSES) this.set({ class: cls }, admission.queuedOf(cls));
      },
    });
  }

  rateLimited(scope: 'key' | 'ip'): void {
    this.refused.inc({ scope });
  }

  observeRequest(operation: string, seconds: number, path: 'response-cache' | 'executed'): void {
    // One child histogram per label pair, looked up without building prom-client's label hash on
    // every request. Operation labels are bounded by the schema (operationLabel), so this map is too.
    const byOperation = this.children[path];
    let child = byOperation.get(operation);
    if (!child) {
      child = this.duration.labels({ operation, path });
      byOperation.set(operation, child);
    }
    child.observe(seconds);
  }

  private registerSourced(s: MetricsSources): void {
    const r = [this.registry];
    const ratio = (hits: number, misses: number) => (hits + misses ? hits / (hits + misses) : 0);
    new Gauge({
      name: 'recs_cache_hit_ratio',
      help: 'Hits / lookups since start, per layer (hot = Redis entries, response = whole responses)',
      labelNames: ['layer'],
      registers: r,
      collect() {
        this.set({ layer: 'hot' }, ratio(s.hot.stats.hits, s.hot.stats.misses));
        this.set({ layer: 'response' }, ratio(s.responseCache.stats.hits, s.responseCache.stats.misses));
      },
    });
    new Gauge({
      name: 'recs_response_cache_bytes',
      help: 'Memory the response cache counts its entries as holding (bounded by RESPONSE_CACHE_MB)',
      registers: r,
      collect() {
        this.set(s.responseCache.sizeBytes);
      },
    });
    new Gauge({
      name: 'recs_response_cache_entries',
      help: 'Answers in the response cache (bounded by RESPONSE_CACHE_ENTRIES)',
      registers: r,
      collect() {
        this.set(s.responseCache.size);
      },
    });
    new Gauge({
      name: 'recs_hot_negative_entries',
      help: 'Unknown ids remembered in this gateway (bounded by NEGATIVE_CACHE_ENTRIES; never in Redis)',
      registers: r,
      collect() {
        this.set(s.hot.negativeSize);
      },
    });
    new Gauge({
      name: 'recs_redis_available',
      help: 'Whether Redis answered a PING during this scrape (0: no recs_queue_jobs figures from Redis either)',
      registers: r,
      async collect() {
        this.set((await s.hot.answers()) ? 1 : 0);
      },
    });
    new Gauge({
      name: 'recs_hot_skipped_writes',
      help: 'Hot entries not written since start because Redis was at HOT_LAYER_MAX_MB',
      registers: r,
      collect() {
        this.set(s.hot.stats.skippedWrites);
      },
    });
    const lookups = new Counter({
      name: 'recs_cache_lookups_total',
      help: 'Cache lookups per layer and result',
      labelNames: ['layer', 'result'],
      registers: r,
    });
    const seen = { hotHits: 0, hotMisses: 0, respHits: 0, respMisses: 0, feedLosses: 0 };
    const feedLosses = new Counter({
      name: 'recs_activity_subscription_losses_total',
      help: "Times the gateway's recent-activity subscription was lost (not counting shutdown)",
      registers: r,
    });
    new Gauge({
      name: 'recs_batch_version',
      help: 'The cache batch version being served',
      registers: r,
      collect() {
        this.set(s.batchVersion());
        const h = s.hot.stats;
        const c = s.responseCache.stats;
        lookups.inc({ layer: 'hot', result: 'hit' }, h.hits - seen.hotHits);
        lookups.inc({ layer: 'hot', result: 'miss' }, h.misses - seen.hotMisses);
        lookups.inc({ layer: 'response', result: 'hit' }, c.hits - seen.respHits);
        lookups.inc({ layer: 'response', result: 'miss' }, c.misses - seen.respMisses);
        const losses = s.activityFeedLosses?.() ?? 0;
        feedLosses.inc(losses - seen.feedLosses);
        Object.assign(seen, {
          hotHits: h.hits,
          hotMisses: h.misses,
          respHits: c.hits,
          respMisses: c.misses,
          feedLosses: losses,
        });
      },
    });
    // Each gauge reads the same memoised figures (AdminReads caches them for 30 s).
    const fromCoverage = (name: string, help: string, pick: (c: CoverageFigures) => number) =>
      new Gauge({
        name,
        help,
        registers: r,
        async collect() {
          try {
            this.set(pick(await s.admin.coverage()));
          } catch (err) {
            s.logger.warn({ err }, 'metrics: coverage unavailable');
          }
        },
      });
    fromCoverage(
      'recs_coverage_percent',
      'Percent of ordering customers with cached recommendations',
      (c) => c.coverage,
    );
    fromCoverage(
      'recs_freshness_days',
      'Days since the newest batch was loaded (-1: never loaded)',
      (c) => c.freshnessDays ?? -1,
    );
    fromCoverage(
      'recs_customers_with_recommendations',
      'Customers with cached recommendations',
      (c) => c.customersWithRecommendations,
    );
    new Gauge({
      name: 'recs_active_alerts',
      help: 'Alerts not yet resolved',
      registers: r,
      async collect() {
        try {
          this.set((await s.admin.activeAlerts()).length);
        } catch (err) {
          s.logger.warn({ err }, 'metrics: alerts unavailable');
        }
      },
    });
    new Gauge({
      name: 'recs_queue_jobs',
      help: 'Jobs per queue and state',
      labelNames: ['queue', 'state'],
      registers: r,
      async collect() {
        await Promise.all(
          s.queues.map(async (q) => {
            try {
              const counts = await q.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed');
              for (const [state, n] of Object.entries(counts)) this.set({ queue: q.name, state }, n);
            } catch (err) {
              // No stale figures: a queue Redis cannot count is absent from this scrape.
              for (const state of ['waiting', 'active', 'delayed', 'failed', 'completed'])
                this.remove({ queue: q.name, state });
              s.logger.warn({ err, queue: q.name }, 'metrics: queue counts unavailable');
            }
          }),
        );
      },
    });
  }
}
