// Exposures, batched: every served list of a running experiment is counted in this process's
// memory (one Map update, no I/O on the request path), and the counts are added to PostgreSQL in
// a few set-based statements every `flushMs`. Repeated lists to one subject fold into one row, so
// the writes grow with subjects, not with requests. A flush that fails keeps its counts for the
// next one; past `maxPendingSubjects` new subjects are dropped and counted (visible in stats and
// the log), never the request.
import type { Pool } from 'pg';
import type { Logger } from '../infra/logger';

export interface Exposure {
  experimentId: number;
  variantKey: string;
  subject: string;
  productIds: readonly string[];
  /** Epoch milliseconds. */
  at: number;
}

/**
 * A served list's exposure, made once when the list is built and kept by the response cache: the
 * subject's counting key is computed here once, not on each cached copy served again.
 */
export interface ServedExposure extends Omit<Exposure, 'at'> {
  readonly key: string;
}

const keyOf = (experimentId: number, subject: string) => `${experimentId}\u0001${subject}`;

export function servedExposure(e: Omit<Exposure, 'at'>): ServedExposure {
  return { ...e, key: keyOf(e.experimentId, e.subject) };
}

interface Pending {
  experimentId: number;
  subject: string;
  variantKey: string;
  count: number;
  first: number;
  last: number;
  products: Map<string, number>;
  /** The product list last folded in: a cached answer served again passes the same array, skipped. */
  lastProducts: readonly string[] | null;
}

export interface ExposureStats {
  recorded: number;
  flushedSubjects: number;
  dropped: number;
  failedFlushes: number;
}

/** Products remembered per subject between flushes (last-touch attribution needs only recent ones). */
const MAX_PRODUCTS_PER_SUBJECT = 200;
const CHUNK = 5_000;
/**
 * An exposed product is written again for a subject at most this often: last touch is judged in
 * days, so an hour's precision is plenty, and a storefront showing the same list all day does
 * not rewrite its rows every flush.
 */
const ITEM_REWRITE_MS = 3_600_000;

export class ExposureRecorder {
  private pending = new Map<string, Pending>();
  /** When each (subject, product) was last written; bounded like pending (emptied when full). */
  private written = new Map<string, Map<string, number>>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  readonly stats: ExposureStats = { recorded: 0, flushedSubjects: 0, dropped: 0, failedFlushes: 0 };

  constructor(
    private readonly pool: Pool,
    private readonly logger: Logger,
    private readonly opts: { flushMs: number; maxPendingSubjects: number },
  ) {}

  record(e: Exposure): void {
    this.recordAt(servedExposure(e), e.at);
  }

  /** The serving path's call: one Map lookup by the precomputed key, no allocation for a known subject. */
  recordAt(e: ServedExposure, at: number): void {
    const key = e.key;
    let p = this.pending.get(key);
    if (!p) {
      if (this.pending.size >= this.opts.maxPendingSubjects) {
        this.stats.dropped += 1;
        return;
      }
      p = {
        experimentId: e.experimentId,
        subject: e.subject,
        variantKey: e.variantKey,
        count: 0,
        first: at,
        last: at,
        products: new Map(),
        lastProducts: null,
      };
      this.pending.set(key, p);
    }
    p.count += 1;
    if (at < p.first) p.first = at;
    if (at > p.last) p.last = at;
    if (p.lastProducts !== e.productIds) {
      p.lastProducts = e.productIds;
      for (const id of e.productIds) {
        if (p.products.size >= MAX_PRODUCTS_PER_SUBJECT && !p.products.has(id)) break;
        p.products.set(id, at);
      }
    }
    this.stats.recorded += 1;
  }

  get pendingSubjects(): number {
    return this.pending.size;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.flush().catch(() => undefined); // flush() logs and keeps the counts itself
    }, this.opts.flushMs);
    this.timer.unref();
  }

  /** Writes what is pending; concurrent calls share one flush. */
  flush(): Promise<void> {
    if (this.flushing) return this.flushing.then(() => this.flush());
    if (!this.pending.size) return Promise.resolve();
    const batch = [...this.pending.values()];
    this.pending = new Map();
    this.flushing = this.write(batch)
      .then(() => {
        this.stats.flushedSubjects += batch.length;
      })
      .catch((err: unknown) => {
        this.stats.failedFlushes += 1;
        this.logger.error(
          { err, subjects: batch.length },
          'experiment exposures could not be written; kept for the next flush',
        );
        for (const p of batch) this.restore(p);
        // Which items reached PostgreSQL is unknown: write them all again next time.
        this.written.clear();
        throw err;
      })
      .finally(() => {
        this.flushing = null;
      });
    return this.flushing;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }

  private restore(p: Pending): void {
    const key = keyOf(p.experimentId, p.subject);
    const now = this.pending.get(key);
    if (!now) {
      this.pending.set(key, p);
      return;
    }
    now.count += p.count;
    now.first = Math.min(now.first, p.first);
    now.last = Math.max(now.last, p.last);
    for (const [id, at] of p.products) now.products.set(id, Math.max(at, now.products.get(id) ?? 0));
  }

  /** The subject's products not written within ITEM_REWRITE_MS, marked as written. */
  private itemsToWrite(p: Pending): { p: Pending; id: string; at: number }[] {
    const key = keyOf(p.experimentId, p.subject);
    let done = this.written.get(key);
    if (!done) {
      if (this.written.size >= this.opts.maxPendingSubjects) this.written.clear();
      done = new Map();
      this.written.set(key, done);
    }
    const out: { p: Pending; id: string; at: number }[] = [];
    for (const [id, at] of p.products) {
      const before = done.get(id);
      if (before !== undefined && at - before < ITEM_REWRITE_MS) continue;
      done.set(id, at);
      out.push({ p, id, at });
    }
    return out;
  }

  private async write(batch: Pending[]): Promise<void> {
    for (let i = 0; i < batch.length; i += CHUNK) {
      const part = batch.slice(i, i + CHUNK);
      // The first variant stored for a subject stays: assignment is sticky.
      await this.pool.query(
        `INSERT INTO experiment_subjects (experiment_id, subject_id, variant, exposures, first_exposed_at, last_exposed_at)
         SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::bigint[], $5::timestamptz[], $6::timestamptz[])
         ON CONFLICT (experiment_id, subject_id) DO UPDATE SET
           exposures = experiment_subjects.exposures + EXCLUDED.exposures,
           first_exposed_at = LEAST(experiment_subjects.first_exposed_at, EXCLUDED.first_exposed_at),
           last_exposed_at = GREATEST(experiment_subjects.last_exposed_at, EXCLUDED.last_exposed_at)`,
        [
          part.map((p) => p.experimentId),
          part.map((p) => p.subject),
          part.map((p) => p.variantKey),
          part.map((p) => p.count),
          part.map((p) => new Date(p.first)),
          part.map((p) => new Date(p.last)),
        ],
      );
      const items = part.flatMap((p) => this.itemsToWrite(p));
      for (let j = 0; j < items.length; j += CHUNK) {
        const rows = items.slice(j, j + CHUNK);
        await this.pool.query(
          `INSERT INTO experiment_exposed_items (experiment_id, subject_id, product_id, last_exposed_at)
           SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::timestamptz[])
           ON CONFLICT (experiment_id, subject_id, product_id) DO UPDATE SET
             last_exposed_at = GREATEST(experiment_exposed_items.last_exposed_at, EXCLUDED.last_exposed_at)`,
          [
            rows.map((r) => r.p.experimentId),
            rows.map((r) => r.p.subject),
            rows.map((r) => r.id),
            rows.map((r) => new Date(r.at)),
          ],
        );
      }
    }
  }
}
