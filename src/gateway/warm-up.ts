// What the first dashboard overview after a start would otherwise pay for, done before the
// gateway listens (so neither /ready nor any request sees a cold gateway). bench/dashboard, quiet
// machine, reference size: that first overview's GraphQL took 389 ms against 51 ms later. It waited
// for the coverage scan (about a second at the reference size, then kept per batch: AdminReads),
// opened the pool's connections one per concurrent read (pg opens them lazily), and ran every code
// path of parsing, validating and resolving the overview for the first time in the process. So the
// warm-up opens those connections, then runs the overview's own reads through Apollo, as an
// internal read-only caller.
import { randomUUID } from 'node:crypto';
import type { ApolloServer } from '@apollo/server';
import type { Pool } from 'pg';
import type { Logger } from '../infra/logger';
import { createContext, type GatewayContext, type GatewayServices } from './gateway-context';

/** The dashboard overview's reads, as web/src/pages/OverviewPage.tsx asks for them. */
export const WARM_UP_QUERY = `query WarmUp {
  systemStatus {
    coverage freshnessDays customersWithRecommendations orderingCustomers productsWithSimilarItems batchVersion
    engine redisAvailable
    activeAlerts { id kind severity message raisedAt }
    schedules { name cron enabled nextFires(count: 2) }
  }
  pipelineRuns(first: 5) { edges { node { id mode status trigger engine recipes error createdAt finishedAt durationMs } } }
  healthHistory(days: 90) { takenAt coverage freshnessDays }
}`;

/** How many reads the overview runs at once: systemStatus's six, the runs and the history. */
export const OVERVIEW_READS_AT_ONCE = 8;

/**
 * The first run opens the connections and waits for coverage; the next ones are for V8, which
 * compiles the hot paths (resolving, serialising a 90-day history) only after a few runs: in a
 * probe at the reference size the process's CPU time for the same overview request fell from about
 * 200 ms to 120 ms and then 30 ms over its first three runs.
 */
const WARM_UP_RUNS = 3;

/** A start is never held longer than this by the warm-up; past it the work goes on behind. */
export const WARM_UP_LIMIT_MS = 10_000;

/**
 * Opens the connections the overview reads on (pg opens them one by one as reads overlap, on the
 * request's time); at most the pool's size, since all are held at once.
 */
async function openConnections(pool: Pool, wanted: number): Promise<void> {
  const n = Math.min(wanted, pool.options.max);
  const clients = await Promise.all(Array.from({ length: n }, () => pool.connect()));
  for (const client of clients) client.release();
}

export async function warmUp(
  apollo: ApolloServer<GatewayContext>,
  services: GatewayServices,
  pool: Pool,
  logger: Logger,
  limitMs = WARM_UP_LIMIT_MS,
): Promise<void> {
  const once = async (): Promise<boolean> => {
    // An internal caller with the read role: the query only reads, and no request can borrow it.
    const auth = { kind: 'key', role: 'read', keyId: 0 } as const;
    const contextValue = createContext(services, auth, `warm-up-${randomUUID()}`, logger, null);
    const response = await apollo.executeOperation({ query: WARM_UP_QUERY }, { contextValue });
    const errors = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
    // Not fatal: the gateway serves without it (a first request then pays what it would have done).
    if (errors?.length) logger.warn({ errors }, 'the warm-up query failed; the first overview will be slower');
    return !errors?.length;
  };
  const run = (async () => {
    await openConnections(pool, OVERVIEW_READS_AT_ONCE);
    for (let i = 0; i < WARM_UP_RUNS; i++) if (!(await once())) return;
  })().catch((err: unknown) => {
    logger.warn({ err }, 'the warm-up failed; the first overview will be slower');
  });
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      logger.warn({ limitMs }, 'the warm-up is still running; the gateway starts without waiting for it');
      resolve();
    }, limitMs);
  });
  try {
    await Promise.race([run, limit]);
  } finally {
    clearTimeout(timer);
  }
}
