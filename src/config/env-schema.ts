// The environment's variables, each with its validation, default and why: config.ts maps them
// to the Config the rest of the code receives.
import { z } from 'zod';
import { cronProblem } from './cron-expression';

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

export const envSchema = z.object({
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

export type Env = z.infer<typeof envSchema>;
