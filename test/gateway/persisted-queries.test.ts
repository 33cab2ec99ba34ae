import { createHash } from 'node:crypto';
import { closeSeededGateway, openSeededGateway } from '../support/seeded-gateway';
import type { TestContext } from '../support/test-context';
import type { Harness } from '../support/gateway-harness';
import { waitFor } from '../support/wait-for';

const QUERY = `query Recs($u: ID!) { recommendations(userId: $u, limit: 3) { items { product { id } score } source recommendationId } }`;
const HASH = createHash('sha256').update(QUERY).digest('hex');
const apq = (sha256Hash: string) => ({ persistedQuery: { version: 1, sha256Hash } });

interface Answer {
  data?: { recommendations: { items: { product: { id: string } }[]; recommendationId: string } } | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

describe('automatic persisted queries and the response cache', () => {
  let ctx: TestContext;
  let h: Harness;

  beforeAll(async () => {
    ({ ctx, h } = await openSeededGateway());
  });
  afterAll(() => closeSeededGateway(h, ctx));

  const post = async (body: Record<string, unknown>): Promise<Answer> => {
    const res = await fetch(`${h.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return (await res.json()) as Answer;
  };
  const stats = () => ({ ...h.gateway.services.responseCache.stats });

  it('answers hash-only requests from the response cache once the query is registered', async () => {
    // Not yet registered: Apollo asks for the query.
    const unknown = await post({ variables: { u: 'c1' }, extensions: apq(HASH) });
    expect(unknown.errors![0]!.extensions!.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    // The client's retry with the query registers it; its answer is stored.
    const registered = await post({ query: QUERY, variables: { u: 'c1' }, extensions: apq(HASH) });
    expect(registered.errors).toBeUndefined();
    await waitFor('the answer to be stored', () => Promise.resolve(h.gateway.services.responseCache.size > 0));
    // From now on the client sends the hash only: each is a response-cache hit, stamped fresh.
    const before = stats();
    const first = await post({ variables: { u: 'c1' }, extensions: apq(HASH) });
    const second = await post({ variables: { u: 'c1' }, extensions: apq(HASH) });
    expect(stats().hits).toBe(before.hits + 2);
    expect(first.data!.recommendations.items).toEqual(registered.data!.recommendations.items);
    expect(second.data!.recommendations.items).toEqual(registered.data!.recommendations.items);
    expect(new Set([registered, first, second].map((a) => a.data!.recommendations.recommendationId)).size).toBe(3);
  });

  it('keys hash-only answers by their variables too', async () => {
    const before = stats();
    const other = await post({ variables: { u: 'c2' }, extensions: apq(HASH) });
    expect(other.errors).toBeUndefined();
    expect(stats().hits).toBe(before.hits);
    expect(other.data!.recommendations.items.map((i) => i.product.id)).toEqual(['p20', 'p21', 'p22']);
    const again = await post({ variables: { u: 'c2' }, extensions: apq(HASH) });
    expect(stats().hits).toBe(before.hits + 1);
    expect(again.data!.recommendations.items).toEqual(other.data!.recommendations.items);
  });

  it('never stores under a hash that is not the query’s (Apollo refuses the pair)', async () => {
    const forged = 'f'.repeat(64);
    const sizeBefore = h.gateway.services.responseCache.size;
    const r = await post({ query: QUERY, variables: { u: 'c3' }, extensions: apq(forged) });
    expect(r.errors![0]!.message).toBe('provided sha does not match query');
    expect(h.gateway.services.responseCache.size).toBe(sizeBefore);
    const hashOnly = await post({ variables: { u: 'c3' }, extensions: apq(forged) });
    expect(hashOnly.errors![0]!.extensions!.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });
});
