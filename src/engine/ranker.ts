// Personalized ranking in-process: reorders a caller's list of products for one customer. The
// built-in engine implements it from its trained model; the gateway's rankItems uses it.
export interface RankedItem {
  productId: string;
  score: number;
}

export interface Ranker {
  /** Every given product comes back exactly once, best first; unknown ones last, in input order. */
  rank(userId: string, productIds: string[]): Promise<RankedItem[]>;
}

/**
 * What the gateway ranks with: the newest trained model's ranking, or null while none is trained
 * (or loaded), so the caller falls back without an error per request.
 */
export interface ServingRanker {
  rank(userId: string, productIds: string[]): Promise<RankedItem[] | null>;
}
