// Inference on a trained LocalModel: a customer's scores, and best-first lists with clear
// fallbacks (popular in the customer's province or the product's category, then popular overall).
import type { LocalModel, PopularityLists } from './local-model';
import { TopK } from './top-k';

export interface RankedList {
  items: number[];
  scores: number[];
  /** Why each item is there (explained lists only: see Recommender.explain). */
  reasons?: ItemReason[];
}

/**
 * An item's reason: the customer's products that contributed most to its score ('history'), the
 * product a similar item is a neighbour of with the customers who had both ('bought-with'), or
 * the fallback tier it came from.
 */
export type ItemReason =
  | { kind: 'history'; items: number[] }
  | { kind: 'bought-with'; item: number; count: number }
  | { kind: 'popular-in-province' }
  | { kind: 'popular-in-category' }
  | { kind: 'trending' };

const PROVINCE_REASON: ItemReason = { kind: 'popular-in-province' };
const CATEGORY_REASON: ItemReason = { kind: 'popular-in-category' };

/** Customers who had both products (co-purchase.ts): explained similar-items lists need it. */
export interface CoCounts {
  count(i: number, j: number): number;
}

export class Recommender {
  readonly nItems: number;
  /** Scores of the last scored customer, valid at the indices in `touched[0..touchedCount)`. */
  readonly scores: Float64Array;
  readonly touched: Int32Array;
  touchedCount = 0;
  private readonly mark: Uint8Array;
  private readonly stamp: Int32Array;
  private generation = 0;
  private readonly heap: TopK;
  private readonly outIdx: Int32Array;
  private readonly outVal: Float64Array;
  /** Per product: recent popularity scaled to [0, 1], times trendWeight (empty when off). */
  private readonly trend: Float64Array;
  /** Per scored product: its two largest contributions (history product, amount); explain only. */
  private readonly top1: Int32Array;
  private readonly top1Val: Float64Array;
  private readonly top2: Int32Array;
  private readonly top2Val: Float64Array;
  /** Lists carry a reason per item (batch inference); off for evaluation and ranking. */
  explain = false;

  constructor(
    readonly model: LocalModel,
    readonly popular: PopularityLists,
    readonly size: number,
  ) {
    this.nItems = model.data.itemIds.length;
    this.scores = new Float64Array(this.nItems);
    this.touched = new Int32Array(this.nItems);
    this.mark = new Uint8Array(this.nItems);
    this.stamp = new Int32Array(this.nItems);
    this.heap = new TopK(size);
    this.outIdx = new Int32Array(size);
    this.outVal = new Float64Array(size);
    const beta = model.params.trendWeight;
    let top = 0;
    for (const t of model.data.itemTrend) top = Math.max(top, t);
    this.trend =
      beta > 0 && top > 0 ? Float64Array.from(model.data.itemTrend, (t) => (beta * t) / top) : new Float64Array(0);
    this.top1 = new Int32Array(this.nItems);
    this.top1Val = new Float64Array(this.nItems);
    this.top2 = new Int32Array(this.nItems);
    this.top2Val = new Float64Array(this.nItems);
  }

  /** Computes customer u's model scores (call clear() before the next customer). */
  score(u: number): void {
    this.clear();
    const { data, rec } = this.model;
    for (let p = data.userPtr[u]!; p < data.userPtr[u + 1]!; p++) {
      const x = data.userProfile[p]!;
      if (x <= 0) continue;
      const i = data.userItems[p]!;
      for (let q = rec.ptr[i]!; q < rec.ptr[i + 1]!; q++) {
        const j = rec.idx[q]!;
        if (!this.mark[j]) {
          this.mark[j] = 1;
          this.touched[this.touchedCount++] = j;
          if (this.explain) {
            this.top1Val[j] = 0;
            this.top2Val[j] = 0;
          }
        }
        const c = x * rec.w[q]!;
        this.scores[j]! += c;
        if (this.explain && c > this.top2Val[j]!) {
          if (c > this.top1Val[j]!) {
            this.top2[j] = this.top1[j]!;
            this.top2Val[j] = this.top1Val[j]!;
            this.top1[j] = i;
            this.top1Val[j] = c;
          } else {
            this.top2[j] = i;
            this.top2Val[j] = c;
          }
        }
      }
    }
  }

  /** The (at most two) history products behind product j's score (after score(u), before clear()). */
  private contributors(j: number): number[] {
    const out = [this.top1[j]!];
    if (this.top2Val[j]! > 0) out.push(this.top2[j]!);
    return out;
  }

  clear(): void {
    for (let a = 0; a < this.touchedCount; a++) {
      const j = this.touched[a]!;
      this.scores[j] = 0;
      this.mark[j] = 0;
    }
    this.touchedCount = 0;
  }

  /** Starts a new list: nothing is excluded yet. */
  private begin(): RankedList {
    this.generation += 1;
    return this.explain ? { items: [], scores: [], reasons: [] } : { items: [], scores: [] };
  }

  private excludeBought(u: number): void {
    const d = this.model.data;
    for (let p = d.userPtr[u]!; p < d.userPtr[u + 1]!; p++)
      if (d.userBought[p]) this.stamp[d.userItems[p]!] = this.generation;
  }

  private excluded(i: number): boolean {
    return this.stamp[i] === this.generation;
  }

  /** Appends the best of `scores` over the touched products, divided by `norm` per product if given. */
  private appendScored(list: RankedList, norm?: Float64Array): void {
    const heap = this.heap;
    heap.reset();
    if (this.trend.length && !norm) this.blendTrend();
    for (let a = 0; a < this.touchedCount; a++) {
      const j = this.touched[a]!;
      if (this.excluded(j)) continue;
      const s = norm ? (norm[j]! > 0 ? this.scores[j]! / norm[j]! : 0) : this.scores[j]!;
      // Most candidates lose to a full heap's worst: skip the call for them.
      if (s > 0 && s >= heap.threshold()) heap.push(j, s);
    }
    const c = heap.drain(this.outIdx, this.outVal);
    for (let a = 0; a < c && list.items.length < this.size; a++) {
      const j = this.outIdx[a]!;
      this.add(list, j, this.outVal[a]!);
      list.reasons?.push({ kind: 'history', items: this.contributors(j) });
    }
  }

  private blendTrend(): void {
    let best = 0;
    for (let a = 0; a < this.touchedCount; a++) best = Math.max(best, this.scores[this.touched[a]!]!);
    for (let a = 0; a < this.touchedCount; a++) {
      const j = this.touched[a]!;
      this.scores[j]! += best * this.trend[j]!;
    }
  }

  private add(list: RankedList, i: number, score: number): void {
    list.items.push(i);
    list.scores.push(score);
    this.stamp[i] = this.generation;
  }

  /**
   * Fills the list from a best-first fallback tier; its scores are scaled to stay below the last
   * score already in the list, so scores remain descending.
   */
  appendTier(
    list: RankedList,
    items: ArrayLike<number>,
    scores: ArrayLike<number>,
    reason: ItemReason = { kind: 'trending' },
  ): void {
    if (list.items.length >= this.size || items.length === 0) return;
    const top = scores[0]! > 0 ? scores[0]! : 1;
    const last = list.scores.length ? list.scores[list.scores.length - 1]! : 0;
    const factor = list.items.length ? (0.9 * last) / top : 1 / top;
    for (let a = 0; a < items.length && list.items.length < this.size; a++) {
      const i = items[a]!;
      if (!this.excluded(i)) {
        this.add(list, i, scores[a]! * factor);
        list.reasons?.push(reason);
      }
    }
  }

  private appendUserFallbacks(list: RankedList, u: number): void {
    const pv = u >= 0 ? this.model.data.userProvince[u]! : -1;
    if (pv >= 0) {
      const p = this.popular.byProvince[pv]!;
      this.appendTier(list, p.items, p.scores, PROVINCE_REASON);
    }
    this.appendTier(list, this.popular.global, this.popular.globalScores);
  }

  /** user-personalization: model scores, then popular in the customer's province, then overall. */
  forUser(u: number, norm?: Float64Array): RankedList {
    const list = this.begin();
    if (this.model.params.excludePurchased) this.excludeBought(u);
    this.score(u);
    this.appendScored(list, norm);
    this.clear();
    this.appendUserFallbacks(list, u);
    return list;
  }

  /** popularity-count for one customer: popular overall, minus what they bought (if excluded). */
  forUserPopular(u: number): RankedList {
    const list = this.begin();
    if (this.model.params.excludePurchased) this.excludeBought(u);
    this.appendTier(list, this.popular.global, this.popular.globalScores);
    return list;
  }

  /** similar-items seen from a customer: neighbours of their strongest product (evaluation). */
  forUserBySimilar(u: number): RankedList {
    const list = this.begin();
    if (this.model.params.excludePurchased) this.excludeBought(u);
    const d = this.model.data;
    let best = -1;
    let bestX = 0;
    for (let p = d.userPtr[u]!; p < d.userPtr[u + 1]!; p++) {
      if (d.userValues[p]! > bestX) {
        bestX = d.userValues[p]!;
        best = d.userItems[p]!;
      }
    }
    if (best >= 0) {
      const s = this.model.similar;
      for (let q = s.ptr[best]!; q < s.ptr[best + 1]! && list.items.length < this.size; q++) {
        if (s.w[q]! > 0 && !this.excluded(s.idx[q]!)) this.add(list, s.idx[q]!, s.w[q]!);
      }
    }
    this.appendUserFallbacks(list, u);
    return list;
  }

  /**
   * similar-items: cosine neighbours, then popular in the product's category, then overall. With
   * `co` (explained lists), each neighbour's reason carries the customers who had both, for the
   * first `explainCount` items (the API's page).
   */
  similarTo(i: number, co?: CoCounts, explainCount = this.size): RankedList {
    const list = this.begin();
    this.stamp[i] = this.generation;
    const s = this.model.similar;
    for (let q = s.ptr[i]!; q < s.ptr[i + 1]! && list.items.length < this.size; q++) {
      const j = s.idx[q]!;
      if (s.w[q]! > 0 && !this.excluded(j)) {
        this.add(list, j, s.w[q]!);
        // Counted for the page only: the candidates beyond it carry no reason in the output.
        if (list.reasons)
          list.reasons.push({
            kind: 'bought-with',
            item: i,
            count: co && list.items.length <= explainCount ? co.count(i, j) : 0,
          });
      }
    }
    const c = this.model.data.itemCategory[i]!;
    if (c >= 0) {
      const p = this.popular.byCategory[c]!;
      this.appendTier(list, p.items, p.scores, CATEGORY_REASON);
    }
    this.appendTier(list, this.popular.global, this.popular.globalScores);
    return list;
  }

  /**
   * personalized-ranking: every given product once, by the customer's score, ties by popularity,
   * then input order; products the model does not know come last, in input order.
   */
  rank(u: number, items: number[]): { item: number; score: number; known: boolean }[] {
    if (u >= 0) this.score(u);
    else this.clear();
    const pop = this.model.popularity;
    const rows = items.map((item, pos) => ({
      item,
      pos,
      known: item >= 0,
      score: item >= 0 && u >= 0 ? this.scores[item]! : 0,
      pop: item >= 0 ? pop[item]! : 0,
    }));
    this.clear();
    rows.sort((a, b) =>
      a.known !== b.known ? (a.known ? -1 : 1) : b.score - a.score || b.pop - a.pop || a.pos - b.pos,
    );
    return rows.map((r) => ({ item: r.item, score: r.score, known: r.known }));
  }

  /**
   * Scores for one fixed list of products, for many customers: the model's columns for those
   * products as a dense block, so a customer costs (their products x list length) operations.
   */
  fixedListScorer(items: number[]): (u: number) => Float64Array {
    const m = items.length;
    const pos = new Int32Array(this.nItems).fill(-1);
    items.forEach((i, k) => (pos[i] = k));
    const { rec, data } = this.model;
    const block = new Float32Array(this.nItems * m);
    for (let i = 0; i < this.nItems; i++) {
      for (let q = rec.ptr[i]!; q < rec.ptr[i + 1]!; q++) {
        const k = pos[rec.idx[q]!]!;
        if (k >= 0) block[i * m + k] = rec.w[q]!;
      }
    }
    const out = new Float64Array(m);
    return (u: number) => {
      out.fill(0);
      for (let p = data.userPtr[u]!; p < data.userPtr[u + 1]!; p++) {
        const x = data.userProfile[p]!;
        if (x <= 0) continue;
        const base = data.userItems[p]! * m;
        for (let k = 0; k < m; k++) out[k]! += x * block[base + k]!;
      }
      return out;
    };
  }
}
