// The dashboard's fields (src/schema/dashboard.graphql): operator reads that need a key of any
// role, API key administration (admin), and the types they return.
import { cronProblem, nextFires } from '../config/cron-expression';
import { ApiKeyNotFoundError, isRole, ROLES } from '../gateway/auth/api-keys';
import { badInput } from '../gateway/graphql-errors';
import { checkId, checkLimit } from '../gateway/input-limits';
import type { UserError } from '../schema/__generated__/schema-types';
import type {
  ApiKeyResolvers,
  CustomerEventResolvers,
  MutationResolvers,
  OrderLineResolvers,
  QueryResolvers,
} from './__generated__/resolvers-types';

const MAX_CRON_LENGTH = 100;

function checkCount(name: string, value: number | null | undefined, fallback: number, max: number): number {
  const n = value ?? fallback;
  if (!Number.isInteger(n) || n < 1 || n > max) throw badInput(`${name} must be 1-${max}`, { argument: name });
  return n;
}

export function cronNextFires(
  cron: string,
  count: number,
): { valid: boolean; error: string | null; nextFires: Date[] } {
  const expression = cron.trim();
  const problem =
    expression.length > MAX_CRON_LENGTH ? `longer than ${MAX_CRON_LENGTH} characters` : cronProblem(expression);
  if (problem) return { valid: false, error: problem, nextFires: [] };
  return { valid: true, error: null, nextFires: nextFires(expression, count) };
}

export const DashboardQuery: Pick<QueryResolvers, 'healthHistory' | 'modelVersions' | 'cronPreview' | 'apiKeys'> = {
  async healthHistory(_, args, ctx) {
    ctx.requireKey();
    const days = checkCount('days', args.days, 30, 366);
    return ctx.services.dashboard.healthHistory(days);
  },
  async modelVersions(_, args, ctx) {
    ctx.requireKey();
    if (args.recipe != null) checkId('recipe', args.recipe);
    return ctx.services.dashboard.modelVersions({
      recipe: args.recipe ?? undefined,
      first: checkLimit('first', args.first, 50),
    });
  },
  cronPreview(_, args, ctx) {
    ctx.requireKey();
    return cronNextFires(args.cron, checkCount('count', args.count, 5, 20));
  },
  async apiKeys(_, __, ctx) {
    ctx.requireRole('admin');
    return ctx.services.apiKeys.list();
  },
};

const invalid = (message: string, field: string[]): UserError => ({ code: 'INVALID', message, field });

export const DashboardMutation: Pick<MutationResolvers, 'createApiKey' | 'revokeApiKey'> = {
  async createApiKey(_, { input }, ctx) {
    ctx.requireRole('admin');
    const failed = { apiKey: null, secret: null };
    if (!isRole(input.role))
      return { ...failed, userErrors: [invalid(`role must be one of ${ROLES.join(', ')}`, ['input', 'role'])] };
    const name = input.name?.trim();
    if (name !== undefined && (name.length < 1 || name.length > 100))
      return { ...failed, userErrors: [invalid('name must be 1-100 characters', ['input', 'name'])] };
    const { key, info } = await ctx.services.apiKeys.create(input.role, name);
    ctx.logger.info({ keyId: info.id, role: info.role }, 'API key created');
    return { apiKey: info, secret: key, userErrors: [] };
  },
  async revokeApiKey(_, { id }, ctx) {
    ctx.requireRole('admin');
    if (!/^\d{1,9}$/.test(id)) return { apiKey: null, userErrors: [invalid('id must be a key id (digits)', ['id'])] };
    try {
      const info = await ctx.services.apiKeys.revoke(id);
      ctx.logger.info({ keyId: info.id }, 'API key revoked');
      return { apiKey: info, userErrors: [] };
    } catch (err) {
      if (!(err instanceof ApiKeyNotFoundError)) throw err;
      return { apiKey: null, userErrors: [{ code: 'NOT_FOUND', message: err.message, field: ['id'] }] };
    }
  },
};

export const OrderLine: OrderLineResolvers = {
  product: async (l, _, ctx) =>
    (await ctx.loaders.product.load(l.productId)) ?? { id: l.productId, name: null, category: null, price: null },
};

export const CustomerEvent: CustomerEventResolvers = {
  product: async (e, _, ctx) =>
    (await ctx.loaders.product.load(e.productId)) ?? { id: e.productId, name: null, category: null, price: null },
};

export const ApiKey: ApiKeyResolvers = {
  id: (k) => String(k.id),
};
