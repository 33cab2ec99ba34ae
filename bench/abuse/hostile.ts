// The hostile traffic bench:abuse sends beside the normal storefront mix (issue 17's abuse list):
// lists at the largest limit, many aliases a request; unknown customer and product ids, never the
// same twice; distinct junk documents (valid tiny ones and unparsable ones), all anonymous; and
// customer-data reads (customer, usersForItem) without a key. The over-limit client is a separate
// stream (a read key sent above its per-key limit).
import { pick } from '../support/serving-harness';

const ALIASES = 20;
/** Lists at limit 100 a request: the most that fit under the cost limit (16 cost 4,816 of 5,000; 17 are refused). */
const BIG_ALIASES = 16;

export function hostileTraffic(users: readonly string[], products: readonly string[]): () => string {
  let n = 0;
  const aliases = (field: (i: number) => string, n = ALIASES) =>
    Array.from({ length: n }, (_, i) => `a${i}: ${field(i)}`).join(' ');
  return () => {
    n += 1;
    switch (n % 6) {
      case 0:
        // The largest limit the schema takes, on many lists at once.
        return JSON.stringify({
          query: `query Big { ${aliases(() => `recommendations(userId: "${pick(users)}", limit: 100) { items { product { id } } }`, BIG_ALIASES)} }`,
        });
      case 1:
        return JSON.stringify({
          query: `query Unknown { ${aliases((i) => `recommendations(userId: "ghost-${n}-${i}") { items { product { id } } }`)} }`,
        });
      case 2:
        return JSON.stringify({
          query: `query UnknownItems { ${aliases((i) => `similarItems(productId: "ghost-${n}-${i}") { items { product { id } } }`)} }`,
        });
      case 3:
        // A distinct valid document each time: the response cache's document table must not churn for it.
        return JSON.stringify({ query: `query Junk${n} { __typename }` });
      case 4:
        return JSON.stringify({ query: `query Broken${n} { recommendations(` });
      default:
        return n % 12 === 5
          ? JSON.stringify({
              query: `query Who($id: ID!) { customer(id: $id) { id city orderCount totalSpend } }`,
              variables: { id: pick(users) },
            })
          : JSON.stringify({
              query: `query Buyers($p: ID!) { usersForItem(productId: $p) { users { userId } } }`,
              variables: { p: pick(products) },
            });
    }
  };
}
