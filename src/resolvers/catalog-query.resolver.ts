// product(id) and customer(id), with the Product and Customer types' computed fields.
import type { GatewayContext } from '../gateway/gateway-context';
import { notFound } from '../gateway/graphql-errors';
import { checkId } from '../gateway/input-limits';
import type { CustomerRow } from '../serving/catalog-repository';
import type { ProductRow } from '../serving/serving-types';

export const catalogQueries = {
  async product(_: unknown, args: { id: string }, ctx: GatewayContext): Promise<ProductRow> {
    ctx.requireRole('read');
    checkId('id', args.id);
    const product = await ctx.loaders.product.load(args.id);
    if (!product) throw notFound(`no product with id "${args.id}"`);
    return product;
  },

  async customer(_: unknown, args: { id: string }, ctx: GatewayContext): Promise<CustomerRow> {
    ctx.requireRole('read');
    checkId('id', args.id);
    const customer = await ctx.services.catalog.customer(args.id);
    if (!customer) throw notFound(`no customer with id "${args.id}"`);
    return customer;
  },
};

export const Product = {
  async orderCount(p: ProductRow, _: unknown, ctx: GatewayContext) {
    return (await ctx.loaders.productStats.load(p.id)).orderCount;
  },
  async unitsSold(p: ProductRow, _: unknown, ctx: GatewayContext) {
    return (await ctx.loaders.productStats.load(p.id)).unitsSold;
  },
  async revenue(p: ProductRow, _: unknown, ctx: GatewayContext) {
    return (await ctx.loaders.productStats.load(p.id)).revenue;
  },
};

/** One stats query per customer, shared by orderCount and totalSpend. */
const statsOf = new WeakMap<CustomerRow, ReturnType<GatewayContext['services']['catalog']['customerStats']>>();

function customerStats(c: CustomerRow, ctx: GatewayContext) {
  let stats = statsOf.get(c);
  if (!stats) {
    stats = ctx.services.catalog.customerStats(c.id);
    statsOf.set(c, stats);
  }
  return stats;
}

export const Customer = {
  async orderCount(c: CustomerRow, _: unknown, ctx: GatewayContext) {
    return (await customerStats(c, ctx)).orderCount;
  },
  async totalSpend(c: CustomerRow, _: unknown, ctx: GatewayContext) {
    return (await customerStats(c, ctx)).totalSpend;
  },
  async hasRecommendations(c: CustomerRow, _: unknown, ctx: GatewayContext) {
    return (await ctx.services.recs.cachedList('userRecommendations', c.id)) !== null;
  },
};
