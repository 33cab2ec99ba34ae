// What this gateway serves under experiments: the running and shipped experiments, reloaded from
// PostgreSQL every `refreshMs` (and at once after a change made through this gateway), and the
// variant of a subject on a surface. Assignment is a pure hash (assignment.ts), so gateways agree
// without talking to each other; `epoch` changes whenever the set served changes, so cached
// answers made under another set are never reused (the response cache checks it).
import type { Logger } from '../infra/logger';
import type { Batch } from '../results';
import { variantFor } from './assignment';
import type { ExperimentStore } from './experiment-store';
import { pinnedModelVersion, type Experiment, type Surface, type Variant } from './experiment-types';
import { experimentIdPrefix } from './recommendation-id';

export interface Assignment {
  experimentId: number;
  variant: Variant;
  /** True while the experiment runs (the list is an exposure); false for a shipped winner. */
  measured: boolean;
  /** Goes before the uuid of the list's recommendationId. */
  idPrefix: string;
  /** The batch a variant pinned to a model version serves; null: the live batch. */
  batch: Batch | null;
}

export class ServingExperiments {
  private bySurface = new Map<Surface, Experiment>();
  /** "<experimentId>:<variantKey>" -> the batch of its pinned model version (running experiments). */
  private pins = new Map<string, Batch>();
  private digest = '';
  private timer: NodeJS.Timeout | null = null;
  /** Bumped whenever the served set changes. */
  epoch = 0;

  constructor(
    private readonly store: ExperimentStore,
    private readonly logger: Logger,
    private readonly refreshMs: number,
  ) {}

  get active(): boolean {
    return this.bySurface.size > 0;
  }

  async refresh(): Promise<void> {
    const list = await this.store.serving();
    const pins = await this.resolvePins(list);
    // The pinned batches are part of what is served: cached answers made at another are not reused.
    const digest = JSON.stringify([list.map((x) => [x.id, x.status, x.shippedVariant]), [...pins]]);
    if (digest === this.digest) return;
    this.pins = pins;
    const next = new Map<Surface, Experiment>();
    // Running first: it owns its surfaces; a shipped winner serves only surfaces nobody tests.
    for (const x of [...list.filter((e) => e.status === 'RUNNING'), ...list.filter((e) => e.status === 'SHIPPED')])
      for (const s of x.surfaces) if (!next.has(s)) next.set(s, x);
    this.bySurface = next;
    this.digest = digest;
    this.epoch += 1;
    this.logger.info({ experiments: list.map((x) => x.id), epoch: this.epoch }, 'experiments served changed');
  }

  /**
   * The batch of each running variant's pinned model version. One whose batch is gone (it cannot
   * be while the experiment runs: the loader keeps it) serves the live batch, loudly.
   */
  private async resolvePins(list: readonly Experiment[]): Promise<Map<string, Batch>> {
    const out = new Map<string, Batch>();
    for (const x of list) {
      if (x.status !== 'RUNNING') continue;
      for (const v of x.variants) {
        const model = pinnedModelVersion(v);
        if (model === null) continue;
        const batch = await this.store.batchOfModelVersion(model);
        if (batch) out.set(`${x.id}:${v.key}`, batch);
        else
          this.logger.error(
            { experiment: x.id, variant: v.key, model },
            'pinned model version has no batch; serving the live one',
          );
      }
    }
    return out;
  }

  /**
   * Loads the set once, then every refreshMs. A gateway started while PostgreSQL is down still
   * starts (it serves degraded answers from Redis) and serves no experiment until the next reload.
   */
  async start(): Promise<void> {
    const reload = () =>
      this.refresh().catch((err: unknown) => {
        this.logger.error({ err }, 'experiments could not be reloaded; serving the last known set');
      });
    await reload();
    this.timer = setInterval(() => void reload(), this.refreshMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** The subject's variant on this surface, or null when no experiment covers it (or no subject). */
  assign(surface: Surface, subject: string | null | undefined): Assignment | null {
    const x = this.bySurface.get(surface);
    if (!x || !subject) return null;
    if (x.status === 'SHIPPED') {
      const winner = x.variants.find((v) => v.key === x.shippedVariant);
      return winner
        ? {
            experimentId: x.id,
            variant: winner,
            measured: false,
            idPrefix: experimentIdPrefix(x.id, winner.key),
            batch: null,
          }
        : null;
    }
    const variant = variantFor(x.id, x.variants, subject);
    return {
      experimentId: x.id,
      variant,
      measured: true,
      idPrefix: experimentIdPrefix(x.id, variant.key),
      batch: this.pins.get(`${x.id}:${variant.key}`) ?? null,
    };
  }
}
