// The one place that reads the environment. Everything else receives a validated Config.
import { ConfigError } from './config-error';
import type { CsvLimits } from '../csv/csv-limits';
import { envSchema, type Env } from './env-schema';

export interface Config {
  env: Env['NODE_ENV'];
  /** RECS_DEV_MODE: stack traces and internal messages in error responses. */
  devMode: boolean;
  logLevel: Env['LOG_LEVEL'];
  database: {
    url: string;
    schema: string;
    /** Request-path pool bounds, plus the loader's swap lock wait (all milliseconds). */
    timeouts: { connectMs: number; statementMs: number; lockMs: number; queryMs: number; swapLockMs: number };
  };
  redis: {
    url: string;
    prefix: string;
    /** Bounds of the gateway's connections (milliseconds); see createRedis. */
    timeouts: { commandMs: number; connectMs: number };
    breaker: { failures: number; probeMs: number };
  };
  http: { host: string; port: number };
  objectStore: { kind: Env['OBJECT_STORE']; dir: string };
  /** Limits of the CSV reader on imported files (see README "Hostile files"). */
  imports: CsvLimits;
  dashboard: { dir: string | undefined; sessionTtlMs: number };
  engine: {
    kind: Env['ENGINE'];
    recipes: string[];
    numResults: number;
    eventWeights: Record<string, number>;
    /** Undefined: relative to the data's time span. */
    halfLifeDays?: number;
    excludePurchased: boolean;
    seed: number;
    tuning: { enabled: boolean; budgetMs: number; retuneChange: number };
  };
  cache: {
    ttlSeconds: number;
    responseEntries: number;
    responseMb: number;
    negativeEntries: number;
    negativeTtlSeconds: number;
    hotMaxMb: number;
  };
  api: {
    readAuth: Env['READ_AUTH'];
    corsOrigins: string[];
    publishableRatePerMinute: number;
    introspection: boolean;
    metricsToken?: string;
  };
  rateLimit: { perKey: number; perIp: number; windowSeconds: number };
  /** src/gateway/admission.ts; the classes are `key`, `publishable` and `anonymous`, in priority order. */
  admission: {
    maxInFlight: number;
    classInFlight: { key: number; publishable: number; anonymous: number };
    maxQueued: number;
    maxWaitMs: { key: number; publishable: number; anonymous: number };
  };
  serving: { catalogueRefreshSeconds: number; catalogueMaxProducts: number };
  realtime: {
    enabled: boolean;
    maxEvents: number;
    ttlSeconds: number;
    maxSubjects: number;
    halfLifeMs: number;
    neighbours: number;
    maxNewProducts: number;
  };
  experiments: { refreshSeconds: number; exposureFlushMs: number; exposureMaxPending: number };
  schedules: {
    enabled: boolean;
    pipeline: string;
    sync: string;
    prewarm: string;
    alerts: string;
    webhookSweep: string;
    retune: string;
  };
  worker: { concurrency: number; shutdownTimeoutMs: number; lockMs: number; stalledCheckMs: number };
  pipeline: {
    sweepIntervalMs: number;
    stuckGraceMs: number;
    enqueueTimeoutMs: number;
    load: { maxFailedShare: number; minCoverageShare: number };
  };
  aws: {
    region?: string;
    bucket?: string;
    prefix: string;
    forcePathStyle: boolean;
    roleArn?: string;
    datasetGroup: string;
    trackingId?: string;
    useV2Recipes: boolean;
    performHpo: boolean;
    performAutoMl: boolean;
    pollMs: number;
    timeoutsMs: { import: number; train: number; batch: number };
    maxBatchJobs: number;
    rankingItems: number;
    autoTraining: boolean;
    retryAttempts: number;
    partSizeBytes: number;
    costRates: Record<string, number>;
  };
  shopify: {
    shop?: string;
    accessToken?: string;
    webhookSecret?: string;
    adminUrl?: string;
    webhooks: { attempts: number; retryBaseMs: number; enqueueTimeoutMs: number; sweepAfterMs: number };
    /** SHOPIFY_BULK_MIN_ORDERS: a first sync this large uses a bulk operation. */
    bulkMinOrders: number;
  };
}

/** Validates the environment once, at start-up; throws ConfigError naming each bad variable. */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  overrides: Partial<Record<keyof Env, string>> = {},
): Config {
  const input: Record<string, string | undefined> = {};
  for (const key of Object.keys(envSchema.shape)) {
    const value = overrides[key as keyof Env] ?? env[key];
    input[key] = value === '' ? undefined : value;
  }
  const parsed = envSchema.safeParse(input);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => ({ variable: String(i.path[0] ?? '?'), message: i.message })));
  }
  const e = parsed.data;
  const shares = (['ADMISSION_PUBLISHABLE_IN_FLIGHT', 'ADMISSION_ANONYMOUS_IN_FLIGHT'] as const).filter(
    (k) => e[k] > e.ADMISSION_MAX_IN_FLIGHT,
  );
  if (shares.length) {
    throw new ConfigError(
      shares.map((variable) => ({ variable, message: 'must be at most ADMISSION_MAX_IN_FLIGHT (a share of it)' })),
    );
  }
  if (e.ENGINE === 'aws') {
    const missing = (['AWS_REGION', 'S3_BUCKET', 'PERSONALIZE_ROLE_ARN'] as const).filter((k) => !e[k]);
    if (missing.length) {
      throw new ConfigError(missing.map((variable) => ({ variable, message: 'is required when ENGINE=aws' })));
    }
  }
  return {
    env: e.NODE_ENV,
    devMode: e.RECS_DEV_MODE,
    logLevel: e.LOG_LEVEL,
    database: {
      url: e.DATABASE_URL,
      schema: e.DATABASE_SCHEMA,
      timeouts: {
        connectMs: e.PG_CONNECT_TIMEOUT_MS,
        statementMs: e.PG_STATEMENT_TIMEOUT_MS,
        lockMs: e.PG_LOCK_TIMEOUT_MS,
        queryMs: e.PG_QUERY_TIMEOUT_MS,
        swapLockMs: e.LOAD_SWAP_LOCK_TIMEOUT_MS,
      },
    },
    redis: {
      url: e.REDIS_URL,
      prefix: e.QUEUE_PREFIX,
      timeouts: { commandMs: e.REDIS_COMMAND_TIMEOUT_MS, connectMs: e.REDIS_CONNECT_TIMEOUT_MS },
      breaker: { failures: e.REDIS_BREAKER_FAILURES, probeMs: e.REDIS_BREAKER_PROBE_MS },
    },
    http: { host: e.HOST, port: e.PORT },
    objectStore: { kind: e.ENGINE === 'aws' ? 's3' : e.OBJECT_STORE, dir: e.OBJECT_STORE_DIR },
    imports: {
      maxLineChars: e.IMPORT_MAX_LINE_CHARS,
      maxDecompressedBytes: e.IMPORT_MAX_DECOMPRESSED_BYTES,
      maxRejectedBytes: Math.round(e.IMPORT_MAX_REJECTED_MB * 1024 ** 2),
    },
    dashboard: { dir: e.DASHBOARD_DIR, sessionTtlMs: Math.round(e.SESSION_TTL_HOURS * 3_600_000) },
    engine: {
      kind: e.ENGINE,
      recipes: e.RECIPES,
      numResults: e.NUM_RESULTS,
      eventWeights: e.EVENT_WEIGHTS,
      halfLifeDays: e.RECENCY_HALF_LIFE_DAYS,
      excludePurchased: e.EXCLUDE_PURCHASED,
      seed: e.SEED,
      tuning: {
        enabled: e.ENGINE_TUNING,
        budgetMs: Math.round(e.TUNING_BUDGET_SECONDS * 1000),
        retuneChange: e.TUNING_RETUNE_CHANGE,
      },
    },
    cache: {
      ttlSeconds: e.CACHE_TTL_SECONDS,
      responseEntries: e.RESPONSE_CACHE_ENTRIES,
      responseMb: e.RESPONSE_CACHE_MB,
      negativeEntries: e.NEGATIVE_CACHE_ENTRIES,
      negativeTtlSeconds: e.NEGATIVE_CACHE_SECONDS,
      hotMaxMb: e.HOT_LAYER_MAX_MB,
    },
    api: {
      readAuth: e.READ_AUTH,
      corsOrigins: e.CORS_ORIGINS,
      publishableRatePerMinute: e.PUBLISHABLE_RATE_PER_MINUTE,
      introspection: e.GRAPHQL_INTROSPECTION,
      metricsToken: e.METRICS_TOKEN,
    },
    rateLimit: { perKey: e.RATE_LIMIT_PER_KEY, perIp: e.RATE_LIMIT_PER_IP, windowSeconds: e.RATE_LIMIT_WINDOW_SECONDS },
    admission: {
      maxInFlight: e.ADMISSION_MAX_IN_FLIGHT,
      classInFlight: {
        key: e.ADMISSION_MAX_IN_FLIGHT,
        publishable: e.ADMISSION_PUBLISHABLE_IN_FLIGHT,
        anonymous: e.ADMISSION_ANONYMOUS_IN_FLIGHT,
      },
      maxQueued: e.ADMISSION_QUEUE_LENGTH,
      maxWaitMs: {
        key: e.ADMISSION_QUEUE_WAIT_MS,
        publishable: e.ADMISSION_QUEUE_WAIT_MS,
        anonymous: e.ADMISSION_ANONYMOUS_QUEUE_WAIT_MS,
      },
    },
    serving: { catalogueRefreshSeconds: e.CATALOGUE_REFRESH_SECONDS, catalogueMaxProducts: e.CATALOGUE_MAX_PRODUCTS },
    realtime: {
      enabled: e.REALTIME_RERANKING,
      maxEvents: e.REALTIME_MAX_EVENTS,
      ttlSeconds: e.REALTIME_TTL_MINUTES * 60,
      maxSubjects: e.REALTIME_MAX_SUBJECTS,
      halfLifeMs: e.REALTIME_HALF_LIFE_MINUTES * 60_000,
      neighbours: e.REALTIME_NEIGHBOURS,
      maxNewProducts: e.REALTIME_MAX_NEW_PRODUCTS,
    },
    experiments: {
      refreshSeconds: e.EXPERIMENTS_REFRESH_SECONDS,
      exposureFlushMs: e.EXPOSURE_FLUSH_MS,
      exposureMaxPending: e.EXPOSURE_MAX_PENDING,
    },
    schedules: {
      enabled: e.SCHEDULES_ENABLED,
      pipeline: e.PIPELINE_CRON,
      sync: e.SYNC_CRON,
      prewarm: e.PREWARM_CRON,
      alerts: e.ALERTS_CRON,
      webhookSweep: e.WEBHOOK_SWEEP_CRON,
      retune: e.RETUNE_CRON,
    },
    worker: {
      concurrency: e.WORKER_CONCURRENCY,
      shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
      lockMs: e.WORKER_LOCK_MS,
      stalledCheckMs: e.WORKER_STALLED_CHECK_MS,
    },
    pipeline: {
      sweepIntervalMs: e.RUN_SWEEP_INTERVAL_MS,
      stuckGraceMs: e.STUCK_RUN_GRACE_MS,
      enqueueTimeoutMs: e.ENQUEUE_TIMEOUT_MS,
      load: { maxFailedShare: e.LOAD_MAX_FAILED_SHARE, minCoverageShare: e.LOAD_MIN_COVERAGE_SHARE },
    },
    aws: {
      region: e.AWS_REGION,
      bucket: e.S3_BUCKET,
      // Keys are joined as prefix + key, so a non-empty prefix always ends with one slash.
      prefix: e.S3_PREFIX.replace(/^\/+/, '').replace(/\/*$/, e.S3_PREFIX.replace(/\/+/g, '') ? '/' : ''),
      forcePathStyle: e.S3_FORCE_PATH_STYLE,
      roleArn: e.PERSONALIZE_ROLE_ARN,
      datasetGroup: e.PERSONALIZE_DATASET_GROUP,
      trackingId: e.PERSONALIZE_TRACKING_ID,
      useV2Recipes: e.PERSONALIZE_V2_RECIPES,
      performHpo: e.PERSONALIZE_PERFORM_HPO,
      performAutoMl: e.PERSONALIZE_PERFORM_AUTO_ML,
      pollMs: Math.round(e.PERSONALIZE_POLL_SECONDS * 1000),
      timeoutsMs: {
        import: e.PERSONALIZE_IMPORT_TIMEOUT_MINUTES * 60_000,
        train: e.PERSONALIZE_TRAIN_TIMEOUT_MINUTES * 60_000,
        batch: e.PERSONALIZE_BATCH_TIMEOUT_MINUTES * 60_000,
      },
      maxBatchJobs: e.PERSONALIZE_MAX_BATCH_JOBS,
      rankingItems: e.PERSONALIZE_RANKING_ITEMS,
      autoTraining: e.PERSONALIZE_AUTO_TRAINING,
      retryAttempts: e.AWS_RETRY_ATTEMPTS,
      partSizeBytes: e.S3_PART_SIZE_MB * 1024 * 1024,
      costRates: e.AWS_COST_RATES,
    },
    shopify: {
      shop: e.SHOPIFY_SHOP,
      accessToken: e.SHOPIFY_ACCESS_TOKEN,
      webhookSecret: e.SHOPIFY_WEBHOOK_SECRET,
      adminUrl: e.SHOPIFY_ADMIN_URL,
      webhooks: {
        attempts: e.SHOPIFY_WEBHOOK_ATTEMPTS,
        retryBaseMs: e.SHOPIFY_WEBHOOK_RETRY_BASE_MS,
        enqueueTimeoutMs: e.SHOPIFY_WEBHOOK_ENQUEUE_TIMEOUT_MS,
        sweepAfterMs: e.SHOPIFY_WEBHOOK_SWEEP_AFTER_MS,
      },
      bulkMinOrders: e.SHOPIFY_BULK_MIN_ORDERS,
    },
  };
}
