// In-process personalized ranking (the gateway's rankItems) from a trained local model.
import type { ObjectStore } from '../../storage/object-store';
import type { RankedItem, Ranker } from '../ranker';
import { outputSize } from './engine-params';
import { popularityLists, type LocalModel } from './local-model';
import { loadModel } from './model-files';
import { Recommender } from './recommender';

export class LocalRanker implements Ranker {
  private readonly recommender: Recommender;
  private readonly userIndex: Map<string, number>;
  private readonly itemIndex: Map<string, number>;

  constructor(model: LocalModel) {
    this.recommender = new Recommender(model, popularityLists(model, 1), outputSize(model.params));
    this.userIndex = new Map(model.data.userIds.map((id, i) => [id, i]));
    this.itemIndex = new Map(model.data.itemIds.map((id, i) => [id, i]));
  }

  /**
   * Known products by the customer's score (an unknown customer: by popularity), ties by
   * popularity then input order; unknown products last in input order; duplicates once.
   */
  rank(userId: string, productIds: string[]): Promise<RankedItem[]> {
    const unique = [...new Set(productIds)];
    const u = this.userIndex.get(userId) ?? -1;
    const items = unique.map((id) => this.itemIndex.get(id) ?? -1);
    const ranked = this.recommender.rank(u, items);
    // rank() keeps unknown products (-1) in input order; map positions back to their ids.
    const unknownIds = unique.filter((_, pos) => items[pos]! < 0);
    let nextUnknown = 0;
    const ids = this.recommender.model.data.itemIds;
    return Promise.resolve(
      ranked.map((r) => ({
        productId: r.known ? ids[r.item]! : unknownIds[nextUnknown++]!,
        score: r.score,
      })),
    );
  }
}

export async function loadLocalRanker(store: ObjectStore, modelPrefix: string): Promise<Ranker> {
  return new LocalRanker(await loadModel(store, modelPrefix));
}
