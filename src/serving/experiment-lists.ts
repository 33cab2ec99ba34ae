// The one place serving meets experiments: a list request on a surface is built by the strategy
// of the subject's variant (or as usual when no experiment covers the surface), and a measured
// list is counted as an exposure. Resolvers and the REST router call `serve`; nothing else on the
// serving path knows about experiments.
import {
  servedExposure,
  type Assignment,
  type ExposureRecorder,
  type ServedExposure,
  type ServingExperiments,
  type Strategy,
  type Surface,
} from '../experiments';
import type { RecommendationFilter } from '../schema/__generated__/schema-types';
import type { BuiltList } from './list-builder';
import type { ListRequest, RecommendationService } from './recommendation-service';

export interface ServedList {
  built: BuiltList;
  assignment: Assignment | null;
  /** The exposure this list is, when measured (the response cache replays it on every hit). */
  exposure: ServedExposure | null;
}

/** The request's filter narrowed by a FILTER strategy's (each set field of the strategy wins). */
function narrowed(
  filter: RecommendationFilter | null | undefined,
  s: Strategy,
): RecommendationFilter | null | undefined {
  if (s.kind !== 'FILTER') return filter;
  const f = s.filter;
  return {
    ...filter,
    excludeInteracted: Boolean(filter?.excludeInteracted) || Boolean(f.excludeInteracted),
    ...(f.categories?.length ? { categories: f.categories } : {}),
    ...(f.minPrice != null ? { minPrice: f.minPrice } : {}),
    ...(f.maxPrice != null ? { maxPrice: f.maxPrice } : {}),
  };
}

/** Product ids interned at most (a catalogue's worth); past it the table starts again. */
const MAX_INTERNED_IDS = 100_000;

export class ExperimentLists {
  /**
   * One string per product id for the exposures kept with cached answers: each list built reads
   * its ids afresh, and 180,484 cached answers would otherwise hold 1.8 million copies of a few
   * thousand ids on the heap the garbage collector walks.
   */
  private readonly ids = new Map<string, string>();

  constructor(
    readonly experiments: ServingExperiments,
    private readonly recs: RecommendationService,
    private readonly recorder: ExposureRecorder,
  ) {}

  /**
   * `batch` builds the list the usual way for a request; a FILTER variant calls it with the
   * narrowed filter. A POPULAR variant calls `popular` (default: the popular list), a HOLDOUT neither.
   */
  async serve(
    surface: Surface,
    subject: string | null | undefined,
    req: ListRequest,
    batch: (req: ListRequest) => Promise<BuiltList>,
    popular: (req: ListRequest) => Promise<BuiltList> = (r) => this.popular(r),
  ): Promise<ServedList> {
    const assignment = this.experiments.assign(surface, subject);
    if (!assignment || !subject) return { built: await batch(req), assignment: null, exposure: null };
    const s = assignment.variant.strategy;
    let built: BuiltList;
    if (s.kind === 'HOLDOUT') built = this.empty();
    else if (s.kind === 'POPULAR') built = await popular(req);
    else built = await batch({ ...req, filter: narrowed(req.filter, s), batch: assignment.batch });
    if (!assignment.measured) return { built, assignment, exposure: null };
    const exposure = servedExposure({
      experimentId: assignment.experimentId,
      variantKey: assignment.variant.key,
      subject,
      productIds: built.items.map((i) => this.interned(i.product.id)),
    });
    this.recorder.recordAt(exposure, Date.now());
    return { built, assignment, exposure };
  }

  private interned(id: string): string {
    const known = this.ids.get(id);
    if (known !== undefined) return known;
    if (this.ids.size >= MAX_INTERNED_IDS) this.ids.clear();
    this.ids.set(id, id);
    return id;
  }

  /** A cached answer served again (at `at`) is an exposure again. */
  replay(exposure: ServedExposure, at: number): void {
    this.recorder.recordAt(exposure, at);
  }

  private empty(): BuiltList {
    return {
      items: [],
      source: 'POPULAR',
      filled: false,
      modelVersion: null,
      degraded: false,
      batchVersion: this.recs.batchVersion,
    };
  }

  private popular(req: ListRequest): Promise<BuiltList> {
    const category = req.filter?.categories?.[0] ?? null;
    return this.recs.popularItems(req.limit, category, null);
  }
}
