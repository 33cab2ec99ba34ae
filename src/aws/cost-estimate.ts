// What a run cost on AWS, estimated from what the run actually used: billed training hours (from
// DescribeSolutionVersion), batch input lines, bytes imported into Personalize, and bytes kept in
// S3 for a month. Rates are approximate us-east-1 list prices; AWS_COST_RATES overrides them.
import type { Database } from '../db/database';

export interface CostRates {
  trainingHour: number; // USD per billed training hour
  batchPer1000: number; // USD per 1,000 batch inference / segment inputs
  ingestionPerGB: number; // USD per GB imported into Personalize
  storagePerGBMonth: number; // USD per GB-month in S3 Standard
}

export const DEFAULT_COST_RATES: CostRates = {
  trainingHour: 0.24,
  batchPer1000: 0.067,
  ingestionPerGB: 0.05,
  storagePerGBMonth: 0.023,
};

export interface RunUsage {
  trainingHours: number;
  batchInputs: number;
  ingestedBytes: number;
  storedBytes: number;
}

export interface CostEstimate extends RunUsage {
  trainingUsd: number;
  batchUsd: number;
  ingestionUsd: number;
  storageUsd: number;
  totalUsd: number;
  rates: CostRates;
}

const GB = 1024 ** 3;
const cents = (n: number) => Math.round(n * 10_000) / 10_000;

export function ratesFrom(overrides: Record<string, number>): CostRates {
  const rates = { ...DEFAULT_COST_RATES };
  for (const [k, v] of Object.entries(overrides)) {
    if (!(k in rates)) throw new Error(`AWS_COST_RATES: unknown rate "${k}" (known: ${Object.keys(rates).join(', ')})`);
    rates[k as keyof CostRates] = v;
  }
  return rates;
}

export function estimateCost(usage: RunUsage, rates: CostRates = DEFAULT_COST_RATES): CostEstimate {
  const trainingUsd = cents(usage.trainingHours * rates.trainingHour);
  const batchUsd = cents((usage.batchInputs / 1000) * rates.batchPer1000);
  const ingestionUsd = cents((usage.ingestedBytes / GB) * rates.ingestionPerGB);
  const storageUsd = cents((usage.storedBytes / GB) * rates.storagePerGBMonth);
  return {
    ...usage,
    trainingUsd,
    batchUsd,
    ingestionUsd,
    storageUsd,
    totalUsd: cents(trainingUsd + batchUsd + ingestionUsd + storageUsd),
    rates,
  };
}

export function formatCost(e: CostEstimate): string {
  return (
    `estimated cost $${e.totalUsd.toFixed(2)}: training ${e.trainingHours.toFixed(2)} h $${e.trainingUsd.toFixed(2)}, ` +
    `batch ${e.batchInputs} inputs $${e.batchUsd.toFixed(2)}, ingestion ${(e.ingestedBytes / 1024 ** 2).toFixed(1)} MB $${e.ingestionUsd.toFixed(2)}, ` +
    `storage ${(e.storedBytes / 1024 ** 2).toFixed(1)} MB/month $${e.storageUsd.toFixed(2)}`
  );
}

/** One row per run in run_cost_estimates; a rerun replaces it. */
export async function saveCostEstimate(db: Database, runId: number, engine: string, e: CostEstimate): Promise<void> {
  const data = {
    engine,
    trainingHours: e.trainingHours,
    batchInputs: e.batchInputs,
    ingestedBytes: BigInt(Math.round(e.ingestedBytes)),
    storedBytes: BigInt(Math.round(e.storedBytes)),
    totalUsd: e.totalUsd,
    breakdown: {
      trainingUsd: e.trainingUsd,
      batchUsd: e.batchUsd,
      ingestionUsd: e.ingestionUsd,
      storageUsd: e.storageUsd,
      rates: { ...e.rates },
    },
  };
  await db.prisma.runCostEstimate.upsert({ where: { runId }, create: { runId, ...data }, update: data });
}
