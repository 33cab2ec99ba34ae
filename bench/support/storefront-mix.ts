// The storefront mix (issue 17) bench:serving measures and bench:abuse sends: 65% recommendations,
// 25% similarItems, 5% rankItems (10 products) and 5% recordEvents with one event a call, customers
// and products drawn over the store.
import { pick } from './serving-harness';

export const RECOMMENDATIONS_QUERY = `query Recommendations($userId: ID!) { recommendations(userId: $userId) { items { product { id name category price } score rank } source recommendationId modelVersion generatedAt } }`;
export const SIMILAR_QUERY = `query Similar($productId: ID!) { similarItems(productId: $productId) { items { product { id name category price } score rank } source recommendationId } }`;
export const RANK_QUERY = `query Rank($userId: ID!, $productIds: [ID!]!) { rankItems(userId: $userId, productIds: $productIds) { items { product { id } score rank } source } }`;
export const RECORD_MUTATION = `mutation Record($events: [EventInput!]!) { recordEvents(events: $events) { accepted duplicates } }`;

export type MixKind = 'recommendations' | 'similarItems' | 'rankItems' | 'recordEvents';

export interface MixRequest {
  kind: MixKind;
  body: string;
  /** The event ids a recordEvents call carries (empty for reads). */
  eventIds: string[];
}

/** Draws the mix's requests; event ids are `${eventPrefix}-${n}`, unique within the generator. */
export function storefrontMix(
  users: readonly string[],
  products: readonly string[],
  eventPrefix: string,
): () => MixRequest {
  let events = 0;
  return () => {
    const r = Math.random();
    if (r < 0.65)
      return {
        kind: 'recommendations',
        body: JSON.stringify({ query: RECOMMENDATIONS_QUERY, variables: { userId: pick(users) } }),
        eventIds: [],
      };
    if (r < 0.9)
      return {
        kind: 'similarItems',
        body: JSON.stringify({ query: SIMILAR_QUERY, variables: { productId: pick(products) } }),
        eventIds: [],
      };
    if (r < 0.95) {
      const productIds = Array.from({ length: 10 }, () => pick(products));
      return {
        kind: 'rankItems',
        body: JSON.stringify({ query: RANK_QUERY, variables: { userId: pick(users), productIds } }),
        eventIds: [],
      };
    }
    events += 1;
    const eventId = `${eventPrefix}-${events}`;
    const event = { userId: pick(users), productId: pick(products), eventType: 'view', eventId };
    return {
      kind: 'recordEvents',
      body: JSON.stringify({ query: RECORD_MUTATION, variables: { events: [event] } }),
      eventIds: [eventId],
    };
  };
}
