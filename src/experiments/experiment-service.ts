// What admins do with experiments (GraphQL, CLI): create, move along the lifecycle, read results.
// Shipping is guarded: a variant that is significantly worse than the control on a guardrail
// metric is refused unless forced, and the refusal says which metric and by how much.
import type { Database } from '../db/database';
import { batchOfModelVersion, releaseUnpinnedBatches } from '../results';
import { ExperimentError } from './experiment-errors';
import { computeResults, type ExperimentResults } from './experiment-results';
import { ExperimentStore, pinnedModelVersions, type LifecycleAction } from './experiment-store';
import { pinnedModelVersion, type Experiment, type NewExperiment } from './experiment-types';

export class ExperimentService {
  readonly store: ExperimentStore;

  /** `changed` runs after every lifecycle move (the gateway reloads what it serves at once). */
  constructor(
    private readonly db: Database,
    private readonly changed: () => Promise<void> = () => Promise.resolve(),
  ) {
    this.store = new ExperimentStore(db);
  }

  create(x: NewExperiment): Promise<Experiment> {
    return this.store.create(x);
  }

  async get(id: number): Promise<Experiment> {
    const x = await this.store.get(id);
    if (!x) throw new ExperimentError('NOT_FOUND', `no experiment ${id}`, ['id']);
    return x;
  }

  async results(id: number): Promise<ExperimentResults> {
    return computeResults(this.db.pool, await this.get(id));
  }

  async move(id: number, action: Exclude<LifecycleAction, 'ship'>, note?: string): Promise<Experiment> {
    const x = await this.store.move(id, action, { note });
    if (action === 'stop') await this.releasePins();
    await this.changed();
    return x;
  }

  /** An ended experiment's pinned batches are kept no longer (unless another experiment pins them). */
  private async releasePins(): Promise<void> {
    await releaseUnpinnedBatches(this.db, pinnedModelVersions);
  }

  async ship(id: number, variant: string, force = false, note?: string): Promise<Experiment> {
    const x = await this.get(id);
    if (!x.variants.some((v) => v.key === variant))
      throw new ExperimentError('INVALID', `variant must be one of ${x.variants.map((v) => v.key).join(', ')}`, [
        'variant',
      ]);
    const pinned = x.variants.find((v) => v.key === variant);
    const model = pinned ? pinnedModelVersion(pinned) : null;
    if (model !== null) {
      // Shipping ends the pin: the winner would serve the live batch, not the model it won with.
      const batch = await batchOfModelVersion(this.db.pool, model);
      if (!batch || batch.retained)
        throw new ExperimentError(
          'INVALID',
          `variant ${variant} serves model version ${model}, which is not the live batch; load that model's results first (shipping would serve the live batch instead)`,
          ['variant'],
        );
    }
    if (variant !== x.controlKey) {
      const r = await computeResults(this.db.pool, x);
      const failed = r.guardrails.filter((g) => g.variant === variant && g.state === 'FAILED');
      if (failed.length && !force) {
        const details = failed.map((g) => {
          const c = r.variants.find((v) => v.key === variant)?.metrics.find((m) => m.metric === g.metric)?.vsControl;
          const lift = c?.lift == null ? '' : ` (${(c.lift * 100).toFixed(1)}% against control)`;
          return `${g.metric}${lift}`;
        });
        throw new ExperimentError(
          'GUARDRAIL_FAILED',
          `variant ${variant} is significantly worse than the control on ${details.join(', ')}; ship it anyway only with force`,
          ['variant'],
        );
      }
    }
    const shipped = await this.store.move(id, 'ship', {
      variant,
      note: force ? `forced${note ? `; ${note}` : ''}` : note,
    });
    await this.releasePins();
    await this.changed();
    return shipped;
  }
}
