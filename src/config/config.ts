// The one place that reads the environment. Everything else receives a validated Config.
import { z } from 'zod';
import { ConfigError } from './config-error';
import { cronProblem } from './cron-expression';
import type { CsvLimits } from '../csv/csv-limits';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const cron = z
  .string()
  .trim()
  .superRefine((value, ctx) => {
    const problem = cronProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: `not a cron expression: ${problem}` });
  });

const eventWeights = z.string().transform((s, ctx) => {
  const out: Record<string, number> = {};
  for (const part of s
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [name, value] = part.split('=');
    const n = Number(value);
    if (!name || value === undefined || !Number.isFinite(n)) {
      ctx.addIssue({ code: 'custom', message: `"${part}" is not name=number` });
      return z.NEVER;
    }
    out[name.trim()] = n;
  }
  return out;
});

const list = z.string().transform((s) =>
  s
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean),
);

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  // Development mode shows clients stack traces and internal error messages; off unless asked for.
  RECS_DEV_MODE: bool.default(false),
  // The schema is public documentation (as GitHub's and Shopify's are); a deployment may close it.
  GRAPHQL_INTROSPECTION: bool.default(true),
  // When set, GET /metrics needs "Authorization: Bearer <METRICS_TOKEN>" (Prometheus' bearer_token).
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL')
    .default('postgresql://postgres@127.0.0.1:5432/postgres'),
  DATABASE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]*$/, 'must be a plain schema name')
    .default('public'),
  // Bounds on PostgreSQL for the request path (docs/gateway.md, "Bounds"): a hung or locked
  // database costs a request at most these, then a coded error or a degraded answer from Redis.
  PG_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).default(2000),
  PG_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).default(2000),
  PG_LOCK_TIMEOUT_MS: z.coerce.number().int().min(100).default(1000),
  // Client-side, for a server that never answers (statement_timeout needs a live server).
  PG_QUERY_TIMEOUT_MS: z.coerce.number().int().min(100).default(3000),
  // The result loader's table swap waits at most this for its ACCESS EXCLUSIVE locks; readers
  // queue behind a waiting lock, so it must stay short. The load fails and its job retries.
  LOAD_SWAP_LOCK_TIMEOUT_MS: z.coerce.number().int().min(100).default(3000),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// URL')
    .default('redis://127.0.0.1:6379'),
  // Gateway connections only (request reads and the queue producers): a Redis that is connected
  // but silent costs a command at most REDIS_COMMAND_TIMEOUT_MS; after REDIS_BREAKER_FAILURES
  // such failures in a row the circuit opens (commands fail at once) and one PING every
  // REDIS_BREAKER_PROBE_MS decides when it closes. Workers' connections block on purpose.
  REDIS_COMMAND_TIMEOUT_MS: z.coerce.number().int().min(10).max(10_000).default(500),
  REDIS_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(2_000),
  REDIS_BREAKER_FAILURES: z.coerce.number().int().min(1).max(1_000).default(3),
  REDIS_BREAKER_PROBE_MS: z.coerce.number().int().min(10).max(600_000).default(2_000),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/)
    .default('recs'),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  OBJECT_STORE: z.enum(['dir', 's3']).default('dir'),
  OBJECT_STORE_DIR: z.string().min(1).default('.data/object-store'),
  ENGINE: z.enum(['local', 'aws']).default('local'),
  RECIPES: list.default([
    'popularity-count',
    'similar-items',
    'user-personalization',
    'personalized-ranking',
    'item-affinity',
  ]),
  NUM_RESULTS: z.coerce.number().int().min(1).max(500).default(25),
  EVENT_WEIGHTS: eventWeights.default({ purchase: 1, cart: 0.5, view: 0.1, return: 0 }),
  // Unset: popularity's half-life is half of the data's own time span (engine-params.ts).
  RECENCY_HALF_LIFE_DAYS: z.coerce.number().positive().optional(),
  EXCLUDE_PURCHASED: bool.default(true),
  // The built-in engine's self-tuning (FULL runs): on by default, bounded in time; the last
  // tuning is reused until the data changes by more than TUNING_RETUNE_CHANGE (a share).
  ENGINE_TUNING: bool.default(true),
  TUNING_BUDGET_SECONDS: z.coerce.number().positive().max(86_400).default(60),
  TUNING_RETUNE_CHANGE: z.coerce.number().min(0).default(0.2),
  // ENGINE=aws: Personalize's own tuning of each solution (CreateSolution performHPO / performAutoML).
  PERSONALIZE_PERFORM_HPO: bool.default(false),
  PERSONALIZE_PERFORM_AUTO_ML: bool.default(false),
  SEED: z.coerce.number().int().default(42),
  CACHE_TTL_SECONDS: z.coerce.number().int().positive().default(86_400),
  // Whole responses kept per gateway for the current batch; 0 turns it off. One answer per
  // customer of the reference store (180,484) fits, at about 2.5-3 KB each. The megabyte budget
  // bounds memory when answers are large (limit 100, long names): oldest out first.
  RESPONSE_CACHE_ENTRIES: z.coerce.number().int().min(0).max(1_000_000).default(200_000),
  RESPONSE_CACHE_MB: z.coerce.number().int().min(1).max(65_536).default(768),
  // Unknown ids are remembered per gateway in memory (never in Redis, which holds the queues).
  NEGATIVE_CACHE_ENTRIES: z.coerce.number().int().min(0).max(10_000_000).default(100_000),
  NEGATIVE_CACHE_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  // Redis used memory at which the hot layer stops writing; keep it below maxmemory by the queues' share.
  HOT_LAYER_MAX_MB: z.coerce.number().int().min(1).max(1_048_576).default(1_024),
  READ_AUTH: z.enum(['open', 'key']).default('open'),
  // Browser origins allowed by CORS, besides those of active publishable keys (which are always allowed).
  CORS_ORIGINS: list
    .pipe(
      z.array(
        z.string().regex(/^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/, 'must list origins like https://shop.example.com'),
      ),
    )
    .default([]),
  // Requests per minute per client IP with a publishable key (they ship in storefront JavaScript).
  PUBLISHABLE_RATE_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(300),
  // Requests to /graphql and /api/ per window: per API key (a valid one), else per client IP.
  RATE_LIMIT_PER_KEY: z.coerce.number().int().min(1).default(2_000),
  RATE_LIMIT_PER_IP: z.coerce.number().int().min(1).default(100),
  RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).max(3_600).default(1),
  // Admission control (src/gateway/admission.ts): API requests executing at once per gateway, the
  // share publishable-key and anonymous requests may take, and the bounded, short wait for a slot.
  ADMISSION_MAX_IN_FLIGHT: z.coerce.number().int().min(1).max(100_000).default(64),
  ADMISSION_PUBLISHABLE_IN_FLIGHT: z.coerce.number().int().min(1).max(100_000).default(32),
  ADMISSION_ANONYMOUS_IN_FLIGHT: z.coerce.number().int().min(1).max(100_000).default(8),
  ADMISSION_QUEUE_LENGTH: z.coerce.number().int().min(0).max(1_000_000).default(256),
  ADMISSION_QUEUE_WAIT_MS: z.coerce.number().int().min(0).max(60_000).default(1_000),
  ADMISSION_ANONYMOUS_QUEUE_WAIT_MS: z.coerce.number().int().min(0).max(60_000).default(100),
  // The catalogue ordered by sales, in each gateway's memory (the fill rule's last resort, product
  // sales figures): reloaded at each new batch and this often; at most this many products held.
  CATALOGUE_REFRESH_SECONDS: z.coerce.number().int().min(1).default(300),
  CATALOGUE_MAX_PRODUCTS: z.coerce.number().int().min(1).max(5_000_000).default(200_000),
  // Session-aware re-ranking (docs/realtime.md): off serves the batch lists exactly as before.
  // Each subject (customer or session) keeps its last REALTIME_MAX_EVENTS events for
  // REALTIME_TTL_MINUTES in Redis; at most REALTIME_MAX_SUBJECTS subjects are held (oldest out).
  REALTIME_RERANKING: bool.default(true),
  REALTIME_MAX_EVENTS: z.coerce.number().int().min(1).max(200).default(20),
  REALTIME_TTL_MINUTES: z.coerce.number().int().min(1).max(10_080).default(120),
  REALTIME_MAX_SUBJECTS: z.coerce.number().int().min(1).max(50_000_000).default(200_000),
  REALTIME_HALF_LIFE_MINUTES: z.coerce.number().positive().max(10_080).default(30),
  // Neighbours blended in per recent event (from the batch's similar-items lists).
  REALTIME_NEIGHBOURS: z.coerce.number().int().min(1).max(100).default(10),
  // Products added since the batch held per gateway (the newest; docs/realtime.md "New products").
  REALTIME_MAX_NEW_PRODUCTS: z.coerce.number().int().min(0).max(100_000).default(1_000),
  // Experiments: how soon every gateway sees a start/pause/stop/ship made elsewhere, how often it
  // writes the exposures it counted, and how many served lists it counts between writes at most.
  EXPERIMENTS_REFRESH_SECONDS: z.coerce.number().int().min(1).max(3_600).default(5),
  EXPOSURE_FLUSH_MS: z.coerce.number().int().min(50).max(600_000).default(5_000),
  EXPOSURE_MAX_PENDING: z.coerce.number().int().min(1_000).max(50_000_000).default(1_000_000),
  // How long a dashboard sign-in lasts; the browser holds only a session cookie, never the key.
  SESSION_TTL_HOURS: z.coerce.number().positive().max(720).default(12),
  // Where the built dashboard is (`npm run web:build` writes web/dist); unset: web/dist of this checkout.
  DASHBOARD_DIR: z.string().min(1).optional(),
  PIPELINE_CRON: cron.default('0 2 1,15 * *'),
  SYNC_CRON: cron.default('0 2 * * *'),
  PREWARM_CRON: cron.default('0 3 * * 1'),
  RETUNE_CRON: cron.default('0 4 * * 0'),
  ALERTS_CRON: cron.default('0 * * * *'),
  // Re-enqueues webhook deliveries stored in PostgreSQL whose queue job is missing (Redis was down).
  WEBHOOK_SWEEP_CRON: cron.default('* * * * *'),
  SCHEDULES_ENABLED: bool.default(true),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
  WORKER_LOCK_MS: z.coerce.number().int().min(1_000).default(60_000),
  WORKER_STALLED_CHECK_MS: z.coerce.number().int().min(500).default(30_000),
  // The stuck-run sweep (src/pipeline/stuck-run-sweep.ts): how often it looks, and how long a
  // run's row must have been quiet before a stage without a live job counts as lost.
  RUN_SWEEP_INTERVAL_MS: z.coerce.number().int().min(100).default(60_000),
  STUCK_RUN_GRACE_MS: z.coerce.number().int().min(0).default(120_000),
  // Queueing a run's first job waits at most this long (Redis down): the run then fails at once.
  ENQUEUE_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  // load-results refuses a batch whose failed lines exceed this share of its lines, or that
  // covers fewer customers or products than this share of the live batch (admins may force it).
  LOAD_MAX_FAILED_SHARE: z.coerce.number().min(0).max(1).default(0.01),
  LOAD_MIN_COVERAGE_SHARE: z.coerce.number().min(0).max(1).default(0.5),
  AWS_REGION: z.string().optional(),
  S3_BUCKET: z.string().optional(),
  S3_PREFIX: z.string().default('storefront-recs/'),
  S3_FORCE_PATH_STYLE: bool.default(false),
  PERSONALIZE_ROLE_ARN: z
    .string()
    .regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+/, 'must be an IAM role ARN')
    .optional(),
  PERSONALIZE_DATASET_GROUP: z
    .string()
    .regex(/^[a-zA-Z0-9][a-zA-Z0-9_-]{0,39}$/, 'must be a Personalize name (letters, digits, - and _, at most 40)')
    .default('storefront-recs'),
  PERSONALIZE_TRACKING_ID: z.string().optional(),
  // v2 recipes (user-personalization, personalized-ranking) scale to 5M items; v1 allows UPDATE training.
  PERSONALIZE_V2_RECIPES: bool.default(true),
  PERSONALIZE_POLL_SECONDS: z.coerce.number().min(0).default(60),
  // File imports: a longer record is quarantined unread; a gzip inflating past the cap is refused.
  IMPORT_MAX_LINE_CHARS: z.coerce
    .number()
    .int()
    .min(1024)
    .default(1 << 20),
  IMPORT_MAX_DECOMPRESSED_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(8 * 1024 ** 3),
  // Rejected rows are held until the import's one commit; past this many MiB the file is refused.
  IMPORT_MAX_REJECTED_MB: z.coerce.number().positive().max(16_384).default(64),
  PERSONALIZE_IMPORT_TIMEOUT_MINUTES: z.coerce.number().positive().default(180),
  PERSONALIZE_TRAIN_TIMEOUT_MINUTES: z.coerce.number().positive().default(720),
  PERSONALIZE_BATCH_TIMEOUT_MINUTES: z.coerce.number().positive().default(720),
  // Personalize allows 5 batch jobs at once per account and region; lower it to leave room for others.
  PERSONALIZE_MAX_BATCH_JOBS: z.coerce.number().int().min(1).max(5).default(5),
  // Personalize's own default for a new solution is automatic training every 7 days (billed);
  // the pipeline schedules training itself, so it is off unless asked for.
  PERSONALIZE_AUTO_TRAINING: bool.default(false),
  PERSONALIZE_RANKING_ITEMS: z.coerce.number().int().min(1).max(500).default(100),
  AWS_RETRY_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(6),
  S3_PART_SIZE_MB: z.coerce.number().int().min(5).max(5120).default(16),
  // Overrides of the list prices used by cost estimates, e.g. "trainingHour=0.24,batchPer1000=0.067".
  AWS_COST_RATES: eventWeights.default({}),
  SHOPIFY_SHOP: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/, 'must be a *.myshopify.com domain')
    .optional(),
  SHOPIFY_ACCESS_TOKEN: z.string().optional(),
  SHOPIFY_WEBHOOK_SECRET: z.string().optional(),
  SHOPIFY_ADMIN_URL: z.url().optional(),
  // Webhook work is retried with doubling delays: 12 attempts from 5 s span about 2.8 hours
  // (Shopify's own retries of an unanswered delivery span 4).
  SHOPIFY_WEBHOOK_ATTEMPTS: z.coerce.number().int().min(1).max(30).default(12),
  SHOPIFY_WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(10).default(5_000),
  // Shopify waits 5 s for an answer; a stored delivery is answered 200 even when the queue is slower.
  SHOPIFY_WEBHOOK_ENQUEUE_TIMEOUT_MS: z.coerce.number().int().min(10).max(4_000).default(2_000),
  // How old a stored, unfinished delivery must be before the sweep checks that its job exists.
  SHOPIFY_WEBHOOK_SWEEP_AFTER_MS: z.coerce.number().int().min(0).default(30_000),
  // A first sync of at least this many orders goes through one bulk operation instead of pages
  // (paging a large store costs hours of rate limit); 0 sends every first sync through bulk.
  SHOPIFY_BULK_MIN_ORDERS: z.coerce.number().int().min(0).default(10_000),
});

type Env = z.infer<typeof schema>;

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
  for (const key of Object.keys(schema.shape)) {
    const value = overrides[key as keyof Env] ?? env[key];
    input[key] = value === '' ? undefined : value;
  }
  const parsed = schema.safeParse(input);
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
