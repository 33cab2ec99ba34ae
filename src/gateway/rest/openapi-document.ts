// The OpenAPI 3.1 description of the REST endpoints (the old system's, src/gateway/rest) and
// /health, served at OPENAPI_PATH. Kept beside the router it describes; a test validates it with
// @apidevtools/swagger-parser and checks every path it lists against the running gateway.
import { REST_DEFAULT_LIMIT } from './rest-params';

export const OPENAPI_PATH = '/api/v1/openapi.json';

const scoredItems = (description: string) => ({
  type: 'array',
  description,
  items: { $ref: '#/components/schemas/ScoredItem' },
});

const listMeta = {
  recipe_name: {
    type: 'string',
    description:
      'The recipe whose output the leading items are: user-personalization, similar-items, item-affinity, or popularity-count for a fallback.',
  },
  updated_at: {
    type: ['string', 'null'],
    format: 'date-time',
    description: 'When the batch the list was read from was loaded; null before the first load.',
  },
  source: {
    type: 'string',
    enum: ['PERSONALIZED', 'SIMILAR_ITEMS', 'ITEM_AFFINITY', 'POPULAR', 'POPULAR_IN_PROVINCE', 'POPULAR_IN_CATEGORY'],
    description: "Where the leading items came from (GraphQL's RecommendationSource).",
  },
  fallback: { type: 'boolean', description: 'True when the leading items are a fallback (popular) list.' },
  recommendation_id: {
    type: 'string',
    description: 'Unique per response: send it with later events to attribute them to this list.',
  },
  model_version: {
    type: ['string', 'null'],
    description: 'The model version that produced the leading items (model_versions.id); null for a pure fallback.',
  },
  batch_version: { type: 'integer', description: 'The cache batch the list was read from; 0 before the first load.' },
  experiment: {
    type: ['object', 'null'],
    description:
      'The experiment and variant the list was served under (surface REST); null when none applies. recommendation_id then starts with e<experiment_id>.<variant>.',
    properties: {
      experiment_id: { type: 'integer' },
      variant: { type: 'string' },
      measured: { type: 'boolean', description: 'True while the experiment runs (the list counts as an exposure).' },
    },
    required: ['experiment_id', 'variant', 'measured'],
  },
};

const metaNames = Object.keys(listMeta);

const limitParam = {
  name: 'limit',
  in: 'query',
  description: `How many items, 1-100 (default ${REST_DEFAULT_LIMIT}, the old numResults).`,
  schema: { type: 'integer', minimum: 1, maximum: 100, default: REST_DEFAULT_LIMIT },
};

const csv = (name: string, description: string) => ({
  name,
  in: 'query',
  description: `${description} Comma-separated, or the parameter repeated.`,
  schema: { type: 'string' },
  style: 'form',
  explode: true,
});

const filterParams = [
  csv('categories', 'Keep only products in these categories (at most 50).'),
  {
    name: 'min_price',
    in: 'query',
    description: 'Keep only products priced at or above this.',
    schema: { type: 'number', minimum: 0 },
  },
  {
    name: 'max_price',
    in: 'query',
    description: 'Keep only products priced at or below this.',
    schema: { type: 'number', minimum: 0 },
  },
  csv('exclude_product_ids', 'Drop these products (at most 500 ids).'),
];

const excludeInteracted = {
  name: 'exclude_interacted',
  in: 'query',
  description: 'Drop products the customer has already ordered or interacted with.',
  schema: { type: 'boolean', default: false },
};

const pathId = (name: string, description: string) => ({
  name,
  in: 'path',
  required: true,
  description: `${description} (1-255 characters).`,
  schema: { type: 'string', minLength: 1, maxLength: 255 },
});

const errors = {
  '400': { $ref: '#/components/responses/BadInput' },
  '401': { $ref: '#/components/responses/Unauthenticated' },
  '403': { $ref: '#/components/responses/Forbidden' },
  '503': { $ref: '#/components/responses/Unavailable' },
};

const listResponse = (schema: string, description: string) => ({
  '200': { description, content: { 'application/json': { schema: { $ref: `#/components/schemas/${schema}` } } } },
  ...errors,
});

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

export function openApiDocument(): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'storefront-recs REST API',
      version: '1.0.0',
      description:
        "The old recommendation API's endpoints and response shapes, served over the same lists as the GraphQL API at /graphql (same hot layer, fallbacks and filters). Unknown customers and products get popular items (labelled by `source` and `fallback`), never a 404. Reads are open or need an API key, by the gateway's READ_AUTH setting.",
      license: { name: 'MIT', identifier: 'MIT' },
    },
    security: [{}, { bearer: [] }, { apiKey: [] }],
    paths: {
      '/api/v1/personalize/recommendations/{user_id}': {
        get: {
          operationId: 'getRecommendations',
          summary: "A customer's recommendations (offline_user_recommendations), filled from fallbacks.",
          parameters: [pathId('user_id', 'The customer id'), limitParam, excludeInteracted, ...filterParams],
          responses: listResponse('RecommendationsResponse', 'The list, best first.'),
        },
      },
      '/api/v1/personalize/similar-items/{product_id}': {
        get: {
          operationId: 'getSimilarItems',
          summary:
            'Products related to a product (offline_similar_items), filled from its category and overall popularity.',
          parameters: [
            pathId('product_id', 'The product id'),
            limitParam,
            ...filterParams,
            {
              name: 'session_id',
              in: 'query',
              description: "The shopper's session: under an experiment on REST, the variant is the session's.",
              schema: { type: 'string', minLength: 1, maxLength: 255 },
            },
          ],
          responses: listResponse('SimilarItemsResponse', 'The list, best first.'),
        },
      },
      '/api/v1/personalize/item-affinity/{user_id}': {
        get: {
          operationId: 'getItemAffinity',
          summary: 'Products a customer has an affinity for (offline_item_affinity), filled from fallbacks.',
          parameters: [pathId('user_id', 'The customer id'), limitParam],
          responses: listResponse('ItemAffinityResponse', 'The list, best first.'),
        },
      },
      '/health': {
        get: {
          operationId: 'getHealth',
          summary: 'The process is alive (no dependency is checked; /ready does that).',
          security: [{}],
          responses: {
            '200': {
              description: 'Alive.',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Health' } } },
            },
          },
        },
      },
    },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'An API key: `Authorization: Bearer <key>`.' },
        apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key', description: 'An API key in `x-api-key`.' },
      },
      schemas: {
        ScoredItem: {
          type: 'object',
          description: 'One recommended product, as stored in the cache tables.',
          required: ['product_id', 'score', 'reason'],
          properties: {
            product_id: { type: 'string', description: 'The product id (ITEM_ID).' },
            score: { type: 'number', description: 'Higher is better; popularity lists use normalised counts.' },
            reason: { $ref: '#/components/schemas/ItemReason' },
          },
        },
        ItemReason: {
          type: 'object',
          description:
            "Why the item is there (GraphQL's RecommendationItem.reason): the customer's products behind its score, the product it is often bought with, or its fallback's reason. An addition old clients ignore.",
          required: ['kind', 'product_ids', 'text', 'count'],
          properties: {
            kind: {
              type: 'string',
              enum: [
                'HISTORY',
                'POPULAR_IN_PROVINCE',
                'POPULAR_IN_CATEGORY',
                'TRENDING',
                'BOUGHT_TOGETHER',
                'PERSONALIZED',
              ],
              description: "What the reason rests on (GraphQL's ReasonKind).",
            },
            product_ids: {
              type: 'array',
              items: { type: 'string' },
              description:
                "The products it names: HISTORY, the customer's products behind the score (strongest first); BOUGHT_TOGETHER, the product asked about.",
            },
            text: {
              type: 'string',
              description:
                'A short sentence for shoppers, e.g. "Often bought with Tea set (12 customers bought both)".',
            },
            count: {
              type: ['integer', 'null'],
              description: 'BOUGHT_TOGETHER from the built-in engine: customers who had both products; null otherwise.',
            },
          },
        },
        RecommendationsResponse: {
          type: 'object',
          required: ['user_id', 'recommendations', ...metaNames],
          properties: {
            user_id: { type: 'string', description: 'The customer asked about.' },
            recommendations: scoredItems('The recommended products, best first.'),
            ...listMeta,
          },
        },
        SimilarItemsResponse: {
          type: 'object',
          required: ['product_id', 'similar_products', ...metaNames],
          properties: {
            product_id: { type: 'string', description: 'The product asked about.' },
            similar_products: scoredItems('The related products, best first.'),
            ...listMeta,
          },
        },
        ItemAffinityResponse: {
          type: 'object',
          required: ['user_id', 'item_affinities', ...metaNames],
          properties: {
            user_id: { type: 'string', description: 'The customer asked about.' },
            item_affinities: scoredItems('The products, most affine first.'),
            ...listMeta,
          },
        },
        Health: {
          type: 'object',
          required: ['status'],
          properties: {
            status: { type: 'string', const: 'ok', description: 'Always ok while the process answers.' },
            uptimeSeconds: { type: 'integer', description: 'Seconds since the process started.' },
          },
        },
        Error: {
          type: 'object',
          required: ['error', 'message'],
          properties: {
            error: {
              type: 'string',
              enum: [
                'BAD_USER_INPUT',
                'UNAUTHENTICATED',
                'FORBIDDEN',
                'NOT_FOUND',
                'SERVICE_UNAVAILABLE',
                'INTERNAL_SERVER_ERROR',
              ],
              description: "The same codes as the GraphQL API's extensions.code.",
            },
            message: { type: 'string', description: 'What is wrong, for a person.' },
            argument: { type: 'string', description: 'The parameter at fault, for BAD_USER_INPUT.' },
          },
        },
      },
      responses: {
        BadInput: errorResponse('A parameter is malformed or out of range (BAD_USER_INPUT, naming it).'),
        Unauthenticated: errorResponse('A key is required (READ_AUTH=key) or the key sent is unknown or revoked.'),
        Forbidden: errorResponse("The key's role may not read."),
        Unavailable: errorResponse(
          'A dependency is down and nothing cached can answer; retry after Retry-After seconds.',
        ),
      },
    },
  };
}
