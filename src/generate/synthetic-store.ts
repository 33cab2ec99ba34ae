// A realistic synthetic store, deterministic per seed and built without a database: power-law
// product popularity, categories with their own price levels, customers in real cities, and
// tastes a recommender can learn (each customer prefers 1-3 categories and one latent cluster of
// items; items have fixed companions that are bought together). Order lines are columnar typed
// arrays so the reference size (about 2 million lines) stays small in memory.
import { ADJECTIVES, CATEGORIES, CITIES } from './store-catalogue';
import { Prng, WeightedSampler } from './prng';

export interface SyntheticStoreOptions {
  customers: number;
  products: number;
  /** Exact number of order lines (interactions). */
  interactions: number;
  seed?: number;
  /** The newest possible timestamp; lines fall in the year before it. Same seed + end = same store. */
  end?: Date;
}

export interface SyntheticCustomer {
  id: string;
  city: string;
  province: string;
}

export interface SyntheticProduct {
  id: string;
  name: string;
  category: string;
  price: number;
  /** The latent taste cluster the product belongs to (the ground truth, for evaluation). */
  cluster: number;
}

export interface SyntheticStore {
  seed: number;
  end: Date;
  categories: string[];
  customers: SyntheticCustomer[];
  products: SyntheticProduct[];
  orders: { count: number; id: (i: number) => string; customer: Uint32Array; orderedAt: Uint32Array };
  /** One entry per order line; every line is a purchase. Times are Unix seconds. */
  lines: {
    count: number;
    order: Uint32Array;
    customer: Uint32Array;
    product: Uint32Array;
    quantity: Uint16Array;
    occurredAt: Uint32Array;
  };
}

const CLUSTERS_PER_CATEGORY = 3;
const COMPANIONS = 4;
const YEAR_SECONDS = 365 * 86_400;

/** Midnight UTC of today: the default end, so one day's runs with a seed agree. */
export function defaultEnd(now = new Date()): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

function checkSize(name: string, n: number, min: number): void {
  if (!Number.isSafeInteger(n) || n < min) throw new RangeError(`${name} must be an integer >= ${min}, got ${n}`);
}

export function generateSyntheticStore(opts: SyntheticStoreOptions): SyntheticStore {
  checkSize('customers', opts.customers, 1);
  checkSize('products', opts.products, 1);
  checkSize('interactions', opts.interactions, 0);
  const seed = opts.seed ?? 42;
  const end = opts.end ?? defaultEnd();
  const rng = new Prng(seed);

  const catCount = Math.min(CATEGORIES.length, opts.products);
  const cats = CATEGORIES.slice(0, catCount);
  const catWeights = cats.map(() => 0.4 + rng.next());
  const catSampler = new WeightedSampler(catWeights);

  const products = makeProducts(rng, opts.products, catSampler);
  const popularity = zipfWeights(rng, products.length);
  const clusterCount = catCount * CLUSTERS_PER_CATEGORY;
  const global = new WeightedSampler(popularity);
  const byCluster = groupSamplers(
    products.map((p) => p.cluster),
    clusterCount,
    popularity,
  );
  const byCategory = groupSamplers(
    products.map((p) => Math.floor(p.cluster / CLUSTERS_PER_CATEGORY)),
    catCount,
    popularity,
  );
  // Companions: items of the same cluster bought together with this one (co-purchase structure).
  const companions = new Uint32Array(products.length * COMPANIONS);
  for (let p = 0; p < products.length; p++) {
    const sampler = byCluster[products[p]?.cluster ?? 0] ?? global;
    for (let k = 0; k < COMPANIONS; k++) companions[p * COMPANIONS + k] = sampler.sample(rng);
  }

  const citySampler = new WeightedSampler(CITIES.map((c) => c.weight));
  const customers = new Array<SyntheticCustomer>(opts.customers);
  for (let i = 0; i < opts.customers; i++) {
    const c = CITIES[citySampler.sample(rng)] ?? CITIES[0];
    customers[i] = { id: `customer_${pad(i + 1, opts.customers)}`, city: c.city, province: c.province };
  }

  const perCustomer = allocateLines(rng, opts.customers, opts.interactions);
  const K = opts.interactions;
  const lines = {
    count: K,
    order: new Uint32Array(K),
    customer: new Uint32Array(K),
    product: new Uint32Array(K),
    quantity: new Uint16Array(K),
    occurredAt: new Uint32Array(K),
  };
  const orderCustomer: number[] = [];
  const orderedAt: number[] = [];
  const endSec = Math.floor(end.getTime() / 1000);
  const startSec = endSec - YEAR_SECONDS;
  let li = 0;
  const inOrder = new Set<number>();
  for (let c = 0; c < opts.customers; c++) {
    const total = perCustomer[c] ?? 0;
    if (total === 0) continue;
    // Tastes: 1-3 preferred categories (popular ones more often) and one latent cluster within the first.
    const nPref = 1 + rng.int(3);
    const prefCats: number[] = [];
    for (let k = 0; k < nPref; k++) prefCats.push(catSampler.sample(rng));
    const prefCluster = (prefCats[0] ?? 0) * CLUSTERS_PER_CATEGORY + rng.int(CLUSTERS_PER_CATEGORY);
    const firstSeen = startSec + Math.floor(rng.next() * rng.next() * YEAR_SECONDS * 0.9);
    let remaining = total;
    const sizes: number[] = [];
    while (remaining > 0) {
      const size = Math.min(remaining, 1 + Math.floor(-Math.log(1 - rng.next()) * 1.6));
      sizes.push(size);
      remaining -= size;
    }
    const times = sizes.map(() => firstSeen + Math.floor(rng.next() * (endSec - firstSeen))).sort((a, b) => a - b);
    for (let o = 0; o < sizes.length; o++) {
      const orderIndex = orderCustomer.length;
      const t = times[o] ?? endSec;
      orderCustomer.push(c);
      orderedAt.push(t);
      inOrder.clear();
      let prev = -1;
      for (let k = 0; k < (sizes[o] ?? 0); k++) {
        let p = -1;
        for (let attempt = 0; attempt < 4 && (p < 0 || inOrder.has(p)); attempt++) {
          const r = rng.next();
          if (prev >= 0 && r < 0.3) p = companions[prev * COMPANIONS + rng.int(COMPANIONS)] ?? 0;
          else if (r < 0.6) p = (byCluster[prefCluster] ?? global).sample(rng);
          else if (r < 0.85) p = (byCategory[rng.pick(prefCats)] ?? global).sample(rng);
          else p = global.sample(rng);
        }
        inOrder.add(p);
        prev = p;
        const price = products[p]?.price ?? 1;
        lines.order[li] = orderIndex;
        lines.customer[li] = c;
        lines.product[li] = p;
        lines.quantity[li] = price < 15 && rng.next() < 0.35 ? 2 + rng.int(5) : 1;
        lines.occurredAt[li] = t;
        li++;
      }
    }
  }
  return {
    seed,
    end,
    categories: cats.map((c) => c.name),
    customers,
    products,
    orders: {
      count: orderCustomer.length,
      id: (i) => `order_${pad(i + 1, orderCustomer.length)}`,
      customer: Uint32Array.from(orderCustomer),
      orderedAt: Uint32Array.from(orderedAt),
    },
    lines,
  };
}

/**
 * Zero-padded ids (customer_000123) sort in creation order, so the database's indexes grow at
 * their right edge while the store is written instead of splitting pages all over (several times
 * faster at the reference size).
 */
function pad(i: number, count: number): string {
  return String(i).padStart(String(count).length, '0');
}

function makeProducts(rng: Prng, n: number, catSampler: WeightedSampler): SyntheticProduct[] {
  const out = new Array<SyntheticProduct>(n);
  for (let i = 0; i < n; i++) {
    // Every category gets at least one product, the rest follow the category weights.
    const cat = i < catSampler.size ? i : catSampler.sample(rng);
    const spec = CATEGORIES[cat] ?? CATEGORIES[0];
    const cluster = cat * CLUSTERS_PER_CATEGORY + rng.int(CLUSTERS_PER_CATEGORY);
    const raw = spec.medianPrice * Math.exp(0.55 * rng.normal());
    const price = Math.max(0.99, Math.round(raw) - 0.01);
    out[i] = {
      id: `product_${pad(i + 1, n)}`,
      name: `${rng.pick(ADJECTIVES)} ${rng.pick(spec.nouns)}`,
      category: spec.name,
      price,
      cluster,
    };
  }
  return out;
}

/** Power-law popularity: rank r (a random permutation) gets weight (r + 8)^-1.1. */
function zipfWeights(rng: Prng, n: number): Float64Array {
  const ranks = new Uint32Array(n);
  for (let i = 0; i < n; i++) ranks[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = ranks[i] ?? 0;
    ranks[i] = ranks[j] ?? 0;
    ranks[j] = t;
  }
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = Math.pow((ranks[i] ?? 0) + 8, -1.1);
  return w;
}

function groupSamplers(groupOf: number[], groups: number, weights: Float64Array): (WeightedSampler | undefined)[] {
  const members: number[][] = Array.from({ length: groups }, () => []);
  groupOf.forEach((g, i) => members[g]?.push(i));
  return members.map((m) =>
    m.length
      ? new WeightedSampler(
          m.map((i) => weights[i] ?? 0),
          m,
        )
      : undefined,
  );
}

/**
 * Splits exactly `total` lines over the customers: heavy-tailed activity (Pareto), every customer
 * buying at least once when there are enough lines; largest remainders make the sum exact.
 */
function allocateLines(rng: Prng, customers: number, total: number): Uint32Array {
  const out = new Uint32Array(customers);
  const base = total >= customers ? 1 : 0;
  const weights = new Float64Array(customers);
  let sum = 0;
  for (let i = 0; i < customers; i++) {
    const w = Math.min(200, Math.pow(1 - rng.next(), -1 / 1.6));
    weights[i] = w;
    sum += w;
  }
  const rest = total - base * customers;
  let given = 0;
  const remainders = new Float64Array(customers);
  for (let i = 0; i < customers; i++) {
    const exact = (rest * (weights[i] ?? 0)) / sum;
    const whole = Math.floor(exact);
    out[i] = base + whole;
    given += whole;
    remainders[i] = exact - whole;
  }
  const order = Array.from({ length: customers }, (_, i) => i).sort(
    (a, b) => (remainders[b] ?? 0) - (remainders[a] ?? 0) || a - b,
  );
  for (let k = 0; k < rest - given; k++) {
    const i = order[k % customers] ?? 0;
    out[i] = (out[i] ?? 0) + 1;
  }
  return out;
}
