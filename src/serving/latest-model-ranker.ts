// rankItems in the gateway: the built-in engine's ranker for the newest successful run, reloaded
// when a newer run finishes. With no trained local model it ranks nothing (null), and the
// gateway falls back to cached scores and popularity.
import type { Database } from '../db/database';
import { loadLocalRanker } from '../engine/local/local-ranker';
import type { RankedItem, Ranker, ServingRanker } from '../engine/ranker';
import { runLayout } from '../engine/training-engine';
import type { Logger } from '../infra/logger';
import type { ObjectStore } from '../storage/object-store';

const RECHECK_MS = 10_000;

export class LatestModelRanker implements ServingRanker {
  private current: { runId: number; ranker: Ranker } | null = null;
  private checkedAt = 0;
  private loading: Promise<void> | null = null;
  private firstCheck: Promise<void> | null = null;

  constructor(
    private readonly db: Database,
    private readonly store: ObjectStore,
    private readonly logger: Logger,
  ) {}

  async rank(userId: string, productIds: string[]): Promise<RankedItem[] | null> {
    // Only the very first request waits for the check; later ones rank with the model they have
    // while a newer one is looked for (and loaded from the object store) in the background.
    this.firstCheck ??= this.check();
    await this.firstCheck;
    if (Date.now() - this.checkedAt > RECHECK_MS) void this.check();
    return this.current ? this.current.ranker.rank(userId, productIds) : null;
  }

  /** One look for a newer run at a time; a failure is logged and the model in hand keeps serving. */
  private check(): Promise<void> {
    this.checkedAt = Date.now();
    this.loading ??= this.refresh()
      .catch((err: unknown) => {
        this.logger.warn({ err }, 'could not look for a newer ranking model; keeping the one loaded');
      })
      .finally(() => {
        this.loading = null;
      });
    return this.loading;
  }

  private async refresh(): Promise<void> {
    const { rows } = await this.db.pool.query<{ id: number }>(
      `SELECT id FROM pipeline_runs WHERE status = 'succeeded' AND engine = 'local' ORDER BY id DESC LIMIT 1`,
    );
    const runId = rows[0]?.id;
    if (runId === undefined || runId === this.current?.runId) return;
    try {
      this.current = { runId, ranker: await loadLocalRanker(this.store, runLayout(runId).modelPrefix) };
      this.logger.info({ runId }, 'ranking model loaded');
    } catch (err) {
      // Keep serving the model we have; the failure is visible in the logs and retried later.
      this.logger.error({ runId, err: (err as Error).message }, 'ranking model could not be loaded');
    }
  }
}
