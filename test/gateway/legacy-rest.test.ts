import SwaggerParser from '@apidevtools/swagger-parser';
import type { OpenAPIV3_1 } from 'openapi-types';
import { createApiKey } from '../../src/gateway/auth/api-keys';
import { createTestContext, type TestContext } from '../support/test-context';
import { startGateway, type Harness } from '../support/gateway-harness';
import { seedServing, type ServingFixture } from '../support/serving-fixtures';

type Json = Record<string, unknown>;

interface ListBody {
  recipe_name: string;
  updated_at: string | null;
  source: string;
  fallback: boolean;
  recommendation_id: string;
  model_version: string | null;
  batch_version: number;
}

describe('the old REST API (/api/v1/personalize) and its OpenAPI document', () => {
  let ctx: TestContext;
  let h: Harness;
  let keyed: Harness;
  let fx: ServingFixture;
  let readKey: string;

  beforeAll(async () => {
    ctx = await createTestContext();
    fx = await seedServing(ctx.db);
    readKey = (await createApiKey(ctx.db.pool, 'read')).key;
    h = await startGateway(ctx);
    keyed = await startGateway(ctx, { config: { ...ctx.config, api: { ...ctx.config.api, readAuth: 'key' } } });
  });
  afterAll(async () => {
    await h.close();
    await keyed.close();
    await ctx.close();
  });

  // An old client: only its base URL changes.
  const oldClient = (baseUrl: string, key?: string) => async (path: string) => {
    const res = await fetch(`${baseUrl}${path}`, { headers: key ? { authorization: `Bearer ${key}` } : {} });
    return { status: res.status, body: (await res.json()) as Json, headers: res.headers };
  };
  const get = (path: string) => oldClient(h.url)(path);

  const graphqlList = async (query: string, variables: Json, key?: string) => {
    const r = await h.gql<Record<string, { items: { product: { id: string }; score: number }[]; source: string }>>(
      query,
      variables,
      key,
    );
    expect(r.body.errors).toBeUndefined();
    return Object.values(r.body.data!)[0]!;
  };

  it("answers a customer's recommendations in the old shape, the same list GraphQL serves", async () => {
    const r = await get('/api/v1/personalize/recommendations/c1?limit=5');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^application\/json/);
    const body = r.body as Json &
      ListBody & { recommendations: { product_id: string; score: number; reason: Record<string, unknown> }[] };
    expect(body.user_id).toBe('c1');
    // The old fields, plus each item's reason (an addition old clients ignore).
    expect(body.recommendations).toMatchObject([
      { product_id: 'p1', score: 0.9 },
      { product_id: 'p2', score: 0.89 },
      { product_id: 'p3', score: 0.88 },
      { product_id: 'p10', score: 0.87 },
      { product_id: 'p11', score: 0.86 },
    ]);
    expect(body).toMatchObject({
      recipe_name: 'user-personalization',
      source: 'PERSONALIZED',
      fallback: false,
      model_version: String(fx.modelVersions['user-personalization']),
      batch_version: fx.batchVersion,
    });
    expect(Date.parse(body.updated_at!)).toBeGreaterThan(Date.now() - 3_600_000);
    expect(body.recommendation_id).toMatch(/^[0-9a-f-]{36}$/);
    const gql = await graphqlList(
      `query($u: ID!) { recommendations(userId: $u, limit: 5) { items { product { id } score reason { kind productIds text count } } source } }`,
      { u: 'c1' },
    );
    expect(body.recommendations).toEqual(
      gql.items.map((i) => {
        const reason = (i as unknown as { reason: { kind: string; productIds: string[]; text: string; count: null } })
          .reason;
        return {
          product_id: i.product.id,
          score: i.score,
          reason: { kind: reason.kind, product_ids: reason.productIds, text: reason.text, count: reason.count },
        };
      }),
    );
  });

  it('defaults to 25 items (the old numResults), filled from the fallbacks like GraphQL', async () => {
    const r = await get('/api/v1/personalize/recommendations/c1');
    const items = r.body.recommendations as { product_id: string }[];
    expect(items).toHaveLength(25);
    const gql = await graphqlList(
      `{ recommendations(userId: "c1", limit: 25) { items { product { id } score } source } }`,
      {},
    );
    expect(items.map((i) => i.product_id)).toEqual(gql.items.map((i) => i.product.id));
  });

  it('takes the filters as query parameters (exclude_interacted, categories, prices, exclude_product_ids)', async () => {
    const path =
      '/api/v1/personalize/recommendations/c1?limit=4&exclude_interacted=true&categories=Shoes,Bags&max_price=40&exclude_product_ids=p10';
    // exclude_interacted shows what the customer bought: customer data needs a key, reads open or not.
    expect((await get(path)).status).toBe(401);
    const r = await oldClient(h.url, readKey)(path);
    expect(r.status).toBe(200);
    const gql = await graphqlList(
      `query($f: RecommendationFilter) { recommendations(userId: "c1", limit: 4, filter: $f) { items { product { id } score } source } }`,
      { f: { excludeInteracted: true, categories: ['Shoes', 'Bags'], maxPrice: 40, excludeProductIds: ['p10'] } },
      readKey,
    );
    const ids = (r.body.recommendations as { product_id: string }[]).map((i) => i.product_id);
    expect(ids).toEqual(gql.items.map((i) => i.product.id));
    expect(ids).not.toEqual(expect.arrayContaining(['p1']));
    expect(ids).not.toContain('p10');
    // Repeated parameters are the same list as comma-separated ones.
    const repeated = await oldClient(
      h.url,
      readKey,
    )(
      '/api/v1/personalize/recommendations/c1?limit=4&exclude_interacted=1&categories=Shoes&categories=Bags&max_price=40&exclude_product_ids=p10',
    );
    expect(repeated.body.recommendations).toEqual(r.body.recommendations);
  });

  it('answers an unknown customer with the labelled popular fallback, never a 404', async () => {
    const r = await get('/api/v1/personalize/recommendations/nobody-knows-me?limit=3');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ user_id: 'nobody-knows-me', recipe_name: 'popularity-count', fallback: true });
    expect(r.body.recommendations).toHaveLength(3);
    expect(String(r.body.source)).toMatch(/^POPULAR/);
  });

  it('answers similar items and item affinity in their old shapes', async () => {
    const similar = await get('/api/v1/personalize/similar-items/p1?limit=3');
    expect(similar.status).toBe(200);
    expect(similar.body).toMatchObject({
      product_id: 'p1',
      similar_products: [
        { product_id: 'p4', score: 0.9 },
        { product_id: 'p7', score: 0.89 },
        { product_id: 'p10', score: 0.88 },
      ],
      recipe_name: 'similar-items',
      source: 'SIMILAR_ITEMS',
      fallback: false,
    });
    const affinity = await get('/api/v1/personalize/item-affinity/c1?limit=2');
    expect(affinity.body).toMatchObject({
      user_id: 'c1',
      item_affinities: [
        { product_id: 'p30', score: 0.9 },
        { product_id: 'p31', score: 0.89 },
      ],
      recipe_name: 'item-affinity',
      source: 'ITEM_AFFINITY',
    });
  });

  it('refuses bad parameters with 400 BAD_USER_INPUT naming the parameter', async () => {
    for (const [path, argument] of [
      ['/api/v1/personalize/recommendations/c1?limit=0', 'limit'],
      ['/api/v1/personalize/recommendations/c1?limit=101', 'limit'],
      ['/api/v1/personalize/recommendations/c1?min_price=cheap', 'min_price'],
      ['/api/v1/personalize/recommendations/c1?min_price=50&max_price=10', 'filter'],
      ['/api/v1/personalize/recommendations/c1?exclude_interacted=maybe', 'exclude_interacted'],
      ['/api/v1/personalize/recommendations/c1?limit=2&limit=3', 'limit'],
      ['/api/v1/personalize/similar-items/p1?exclude_interacted=true', 'exclude_interacted'],
      [`/api/v1/personalize/similar-items/${'x'.repeat(256)}`, 'product_id'],
    ] as const) {
      const r = await get(path);
      expect({ path, status: r.status, error: r.body.error, argument: r.body.argument }).toEqual({
        path,
        status: 400,
        error: 'BAD_USER_INPUT',
        argument,
      });
      expect(typeof r.body.message).toBe('string');
    }
    const unknown = await get('/api/v1/personalize/nothing-here/x');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toBe('NOT_FOUND');
  });

  it('checks API keys as GraphQL does (READ_AUTH=key: 401 without a valid key, 200 with a read key)', async () => {
    const path = '/api/v1/personalize/recommendations/c1?limit=1';
    expect((await oldClient(keyed.url)(path)).status).toBe(401);
    const bad = await oldClient(keyed.url, 'rk_' + 'z'.repeat(40))(path);
    expect(bad.status).toBe(401);
    expect(bad.body.error).toBe('UNAUTHENTICATED');
    const ok = await oldClient(keyed.url, readKey)(path);
    expect(ok.status).toBe(200);
    expect(ok.body.recommendations).toMatchObject([{ product_id: 'p1', score: 0.9 }]);
    // Open reads need no key.
    expect((await get(path)).status).toBe(200);
  });

  it('answers GET /health', async () => {
    const r = await get('/health');
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('ok');
  });

  describe('OpenAPI document', () => {
    let doc: OpenAPIV3_1.Document;
    beforeAll(async () => {
      const r = await get('/api/v1/openapi.json');
      expect(r.status).toBe(200);
      doc = r.body as unknown as OpenAPIV3_1.Document;
    });

    it('is a valid OpenAPI 3.1 document (swagger-parser)', async () => {
      // validate() dereferences in place: give it a copy.
      const validated = await SwaggerParser.validate(structuredClone(doc) as never);
      expect(validated.info.title).toBe('storefront-recs REST API');
      expect(doc.openapi).toBe('3.1.0');
    });

    it('lists every endpoint, and each answers what its schema requires', async () => {
      expect(Object.keys(doc.paths ?? {}).sort()).toEqual([
        '/api/v1/personalize/item-affinity/{user_id}',
        '/api/v1/personalize/recommendations/{user_id}',
        '/api/v1/personalize/similar-items/{product_id}',
        '/health',
      ]);
      const schemas = doc.components!.schemas!;
      for (const [path, item] of Object.entries(doc.paths!)) {
        const operation = item?.get;
        if (!operation) throw new Error(`${path} has no GET`);
        const ok = operation.responses['200'] as OpenAPIV3_1.ResponseObject;
        const ref = (ok.content!['application/json']!.schema as OpenAPIV3_1.ReferenceObject).$ref;
        const schema = schemas[ref.split('/').pop()!] as OpenAPIV3_1.SchemaObject;
        const r = await get(path.replace('{user_id}', 'c1').replace('{product_id}', 'p1'));
        expect(r.status).toBe(200);
        for (const name of schema.required ?? [])
          expect({ path, name, present: name in r.body }).toMatchObject({ present: true });
        // No field the document does not describe.
        for (const name of Object.keys(r.body))
          expect({ path, name, described: name in schema.properties! }).toMatchObject({ described: true });
        // Every listed item has what ScoredItem requires (the reason included) and its reason ItemReason's.
        const scored = schemas.ScoredItem as OpenAPIV3_1.SchemaObject;
        const reason = schemas.ItemReason as OpenAPIV3_1.SchemaObject;
        for (const [field, value] of Object.entries(r.body)) {
          if (!Array.isArray(value) || !value.length) continue;
          for (const entry of value as Record<string, Record<string, unknown>>[]) {
            for (const name of scored.required ?? [])
              expect({ path, field, name, present: name in entry }).toMatchObject({ present: true });
            for (const name of reason.required ?? [])
              expect({ path, field, name, present: name in entry.reason! }).toMatchObject({ present: true });
          }
        }
      }
    });
  });
});
