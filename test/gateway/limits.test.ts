import { parse, Kind, type OperationDefinitionNode } from 'graphql';
import { measure } from '../../src/gateway/operation-limits.plugin';
import { closeSeededGateway, openSeededGateway } from '../support/seeded-gateway';
import type { TestContext } from '../support/test-context';
import type { Harness } from '../support/gateway-harness';

describe('request limits', () => {
  let ctx: TestContext;
  let h: Harness;

  beforeAll(async () => {
    ({ ctx, h } = await openSeededGateway());
  });
  afterAll(() => closeSeededGateway(h, ctx));

  const code = async (query: string, variables?: Record<string, unknown>) => {
    const r = await h.gql(query, variables);
    return { code: r.body.errors?.[0]?.extensions?.code, message: r.body.errors?.[0]?.message ?? '', status: r.status };
  };

  it('limits `limit` to 1-100', async () => {
    for (const limit of [0, 101, -5]) {
      const r = await code(`query($l: Int) { recommendations(userId: "c1", limit: $l) { source } }`, { l: limit });
      expect(r.code).toBe('BAD_USER_INPUT');
      expect(r.message).toContain('limit must be between 1 and 100');
    }
    expect((await code(`{ popularItems(limit: 100) { source } }`)).code).toBeUndefined();
    // usersForItem is customer data: without a key it is refused before its arguments are read.
    expect((await code(`{ usersForItem(productId: "p1", limit: 500) { productId } }`)).code).toBe('UNAUTHENTICATED');
  });

  it('bounds id lengths', async () => {
    const r = await code(`query($id: ID!) { recommendations(userId: $id) { source } }`, { id: 'x'.repeat(256) });
    expect(r.code).toBe('BAD_USER_INPUT');
    expect(r.message).toContain('userId must be 1-255 characters');
    expect((await code(`{ product(id: "") { id } }`)).code).toBe('BAD_USER_INPUT');
  });

  it('bounds list sizes', async () => {
    const ids = Array.from({ length: 101 }, (_, i) => `p${i}`);
    expect(
      (await code(`query($ids: [ID!]!) { rankItems(userId: "c1", productIds: $ids) { source } }`, { ids })).message,
    ).toContain('at most 100');
    expect((await code(`{ rankItems(userId: "c1", productIds: []) { source } }`)).message).toContain(
      'must not be empty',
    );
    const exclude = Array.from({ length: 501 }, (_, i) => `p${i}`);
    expect(
      (
        await code(`query($f: RecommendationFilter) { recommendations(userId: "c1", filter: $f) { source } }`, {
          f: { excludeProductIds: exclude },
        })
      ).message,
    ).toContain('filter.excludeProductIds may hold at most 500');
    const categories = Array.from({ length: 51 }, (_, i) => `c${i}`);
    expect(
      (
        await code(`query($f: RecommendationFilter) { recommendations(userId: "c1", filter: $f) { source } }`, {
          f: { categories },
        })
      ).code,
    ).toBe('BAD_USER_INPUT');
  });

  it('checks filter prices', async () => {
    const q = `query($f: RecommendationFilter) { recommendations(userId: "c1", filter: $f) { source } }`;
    expect((await code(q, { f: { minPrice: 50, maxPrice: 10 } })).message).toContain('minPrice must not exceed');
    expect((await code(q, { f: { minPrice: -1 } })).message).toContain('>= 0');
    expect(
      (await code(`{ similarItems(productId: "p1", filter: { excludeInteracted: true }) { source } }`)).message,
    ).toContain('needs a customer');
  });

  it('rejects variables of the wrong type with BAD_USER_INPUT and status 400', async () => {
    const r = await code(`query($l: Int) { popularItems(limit: $l) { source } }`, { l: 'ten' });
    expect(r.code).toBe('BAD_USER_INPUT');
    expect(r.status).toBe(400);
  });

  it('limits query depth', async () => {
    const r = await code(`{ systemStatus { lastRun { stages { counts { name } } } } __typename }`);
    expect(r.code).not.toBe('BAD_USER_INPUT'); // depth 5 is fine (fails on auth instead)
    const fragments = `fragment A on PipelineRun { stages { counts { name value } } }`;
    const deep = `query { pipelineRuns { edges { node { ...A } } } } ${fragments}`;
    expect((await code(deep)).code).not.toBe('BAD_USER_INPUT');
    const op = parse(`{ a { b { c { d { e { f { g { h { i { j { k } } } } } } } } } } }`)
      .definitions[0] as OperationDefinitionNode;
    expect(op.kind).toBe(Kind.OPERATION_DEFINITION);
    expect(measure(op.selectionSet, {}, {}).depth).toBe(11);
  });

  it('limits query cost, with variables taken into account', async () => {
    const many = Array.from(
      { length: 8 },
      (_, i) =>
        `r${i}: recommendations(userId: "c1", limit: 100) { items { product { id name category price } score rank } }`,
    ).join(' ');
    const r = await code(`{ ${many} }`);
    expect(r.code).toBe('BAD_USER_INPUT');
    expect(r.message).toMatch(/query cost \d+ exceeds the limit of 5000/);
    expect(r.status).toBe(400);
    const op = parse(`query($n: Int) { recommendations(userId: "c1", limit: $n) { items { score } } }`)
      .definitions[0] as OperationDefinitionNode;
    expect(measure(op.selectionSet, {}, { n: 50 }).cost).toBe(1 + 50 * 2);
  });

  it('rejects a request body over 1 MB with 413', async () => {
    const res = await fetch(`${h.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(1_100_000) } }),
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe(
      'BAD_USER_INPUT',
    );
  });

  it('rejects a body that is not JSON', async () => {
    const res = await fetch(`${h.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query": ',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { errors: { message: string }[] }).errors[0]!.message).toContain('not valid JSON');
  });

  it('rejects documents with too many tokens', async () => {
    const fields = Array.from({ length: 6000 }, () => '__typename').join(' ');
    const r = await code(`{ ${fields} }`);
    expect(r.message).toContain('5000 tokens');
    expect(r.status).toBe(400);
  });
});
