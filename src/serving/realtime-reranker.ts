// Re-ranking in the serving path (docs/realtime.md): reads the subject's recent activity (one
// Redis read per uncached request), the neighbours of its products (the batch's similar-items
// lists, held in this process's memory per batch version), and blends them into the batch list
// (realtime-blend.ts). Redis down: the activity is unknown and the batch list serves unchanged.
import { ExpiringLru } from '../infra/expiring-lru';
import type { Batch, CachedList, ProductRow } from '../results';
import { blendRecentActivity } from './realtime-blend';
import type { BuiltItem } from './list-builder';
import type { ActivityEvent, ActivityRead, RecentActivity, SubjectKey } from './recent-activity';

export interface RerankSettings {
  halfLifeMs: number;
  neighbours: number;
  maxEvents: number;
  excludePurchased: boolean;
}

/** Neighbour lists held per gateway: enough for every product shoppers are looking at now. */
const NEIGHBOUR_LISTS = 50_000;
/** A neighbour list is the batch's, so it changes only with the batch; this only ages out the unused. */
const NEIGHBOUR_TTL_MS = 3_600_000;
/**
 * A re-ranked list is reused (response cache) for at most this share of the half-life: its event
 * weights are then within 0.7% of what they would be now (2^-0.01), and an event drops it anyway.
 */
const REUSE_SHARE_OF_HALF_LIFE = 0.01;

type Neighbours = readonly { product: ProductRow; score: number }[];

export class RealtimeReranker {
  private readonly lists = new ExpiringLru<Neighbours>(NEIGHBOUR_LISTS, NEIGHBOUR_TTL_MS);

  constructor(
    readonly activity: RecentActivity,
    private readonly settings: RerankSettings,
    /** Products related to one product when the batch has none for it (new products: category and price). */
    private readonly related: (productId: string) => Neighbours = () => [],
  ) {}

  get excludePurchased(): boolean {
    return this.settings.excludePurchased;
  }

  /** The subjects' events (newest first) and versions; null when Redis cannot say (serve the batch list). */
  read(subjects: readonly SubjectKey[]): Promise<ActivityRead | null> {
    return this.activity.read(subjects);
  }

  /** How long a re-ranked list may be reused. */
  get reuseForMs(): number {
    return this.settings.halfLifeMs * REUSE_SHARE_OF_HALF_LIFE;
  }

  /** Products bought in the activity (to leave out of the batch list before it is filled). */
  purchased(events: readonly ActivityEvent[]): string[] {
    return this.settings.excludePurchased
      ? events.filter((e) => e.eventType === 'purchase').map((e) => e.productId)
      : [];
  }

  /** The neighbour lists of the events' products at batch `b` (held per batch version; older ones age out). */
  async neighbours(
    b: Batch,
    events: readonly ActivityEvent[],
    load: (productId: string) => Promise<CachedList | null>,
  ): Promise<Map<string, Neighbours>> {
    const ids = [...new Set(events.slice(0, this.settings.maxEvents).map((e) => e.productId))];
    const out = new Map<string, Neighbours>();
    await Promise.all(
      ids.map(async (id) => {
        // Keyed by batch version: a batch an experiment pins and the current one share the memory.
        const key = `${String(b.version)}:${id}`;
        let list = this.lists.get(key);
        if (!list) {
          const cached = await load(id);
          const fromBatch = cached?.items.slice(0, this.settings.neighbours * 2) ?? [];
          list = fromBatch.length ? fromBatch : this.related(id);
          // None yet may change within the batch (a product added since it gets neighbours within a second).
          if (list.length) this.lists.set(key, list);
        }
        out.set(id, list);
      }),
    );
    return out;
  }

  blend(
    batch: readonly BuiltItem[],
    events: readonly ActivityEvent[],
    neighbours: ReadonlyMap<string, Neighbours>,
    o: { limit: number; personal: (i: BuiltItem) => boolean; allowed: (p: ProductRow) => boolean; now?: number },
  ) {
    return blendRecentActivity({
      batch,
      personal: o.personal,
      activity: events,
      neighbours,
      now: o.now ?? Date.now(),
      halfLifeMs: this.settings.halfLifeMs,
      neighboursPerEvent: this.settings.neighbours,
      maxEvents: this.settings.maxEvents,
      limit: o.limit,
      excludePurchased: this.settings.excludePurchased,
      allowed: o.allowed,
    });
  }
}
