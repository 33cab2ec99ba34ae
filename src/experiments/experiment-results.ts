// An experiment's results per variant: sums over subjects read in one query, turned into
// estimates, always-valid intervals and comparisons with the control (sequential-stats.ts), the
// guardrails, and a summary in plain words. The subject (a customer, or an anonymous session) is
// the unit: its exposures are not independent, so rates per exposure use the delta method.
import type { Pool } from 'pg';
import { attributeOutcomes } from './attribution';
import type { Experiment } from './experiment-types';
import {
  compare,
  confidenceSequence,
  guardrail,
  meanEstimate,
  perComparisonAlpha,
  proportionEstimate,
  ratioEstimate,
  type Comparison,
  type Estimate,
  type GuardrailState,
  type Interval,
} from './sequential-stats';

export const METRICS = [
  'CLICK_THROUGH_RATE',
  'ADD_TO_CART_RATE',
  'CONVERSION_RATE',
  'REVENUE_PER_CUSTOMER',
  'REVENUE_PER_EXPOSURE',
  'ATTRIBUTED_REVENUE_PER_CUSTOMER',
] as const;
export type Metric = (typeof METRICS)[number];

/** Metrics a variant must not be worse on; shipping a variant that fails one needs force. */
export const GUARDRAIL_METRICS: readonly Metric[] = ['REVENUE_PER_CUSTOMER', 'CONVERSION_RATE'];

export interface VariantSums {
  variant: string;
  customers: number;
  exposures: number;
  exposuresSq: number;
  clicks: number;
  clicksSq: number;
  clicksX: number;
  carts: number;
  cartsSq: number;
  cartsX: number;
  converted: number;
  revenue: number;
  revenueSq: number;
  revenueX: number;
  attributed: number;
  attributedSq: number;
}

export interface MetricResult {
  metric: Metric;
  value: number;
  interval: Interval | null;
  vsControl: Comparison | null;
}

export interface VariantResult {
  key: string;
  name: string;
  isControl: boolean;
  customers: number;
  exposures: number;
  clicks: number;
  carts: number;
  conversions: number;
  revenue: number;
  metrics: MetricResult[];
}

export interface GuardrailResult {
  variant: string;
  metric: Metric;
  state: GuardrailState;
}

export interface ExperimentResults {
  experimentId: number;
  computedAt: Date;
  alpha: number;
  variants: VariantResult[];
  guardrails: GuardrailResult[];
  summary: string;
}

export const ALPHA = 0.05;

function estimates(s: VariantSums): Record<Metric, Estimate> {
  const n = s.customers;
  const perExposure = (y: number, yy: number, xy: number) =>
    ratioEstimate({ n, sumX: s.exposures, sumY: y, sumXX: s.exposuresSq, sumYY: yy, sumXY: xy });
  return {
    CLICK_THROUGH_RATE: perExposure(s.clicks, s.clicksSq, s.clicksX),
    ADD_TO_CART_RATE: perExposure(s.carts, s.cartsSq, s.cartsX),
    CONVERSION_RATE: proportionEstimate(n, s.converted),
    REVENUE_PER_CUSTOMER: meanEstimate({ n, sum: s.revenue, sumSq: s.revenueSq }),
    REVENUE_PER_EXPOSURE: perExposure(s.revenue, s.revenueSq, s.revenueX),
    ATTRIBUTED_REVENUE_PER_CUSTOMER: meanEstimate({ n, sum: s.attributed, sumSq: s.attributedSq }),
  };
}

/** A variant's sums before any exposure. */
export const emptySums = (variant: string): VariantSums => ({
  variant,
  customers: 0,
  exposures: 0,
  exposuresSq: 0,
  clicks: 0,
  clicksSq: 0,
  clicksX: 0,
  carts: 0,
  cartsSq: 0,
  cartsX: 0,
  converted: 0,
  revenue: 0,
  revenueSq: 0,
  revenueX: 0,
  attributed: 0,
  attributedSq: 0,
});

/** Pure: the results from the sums (the benchmark and the tests call this directly). */
export function resultsFromSums(x: Experiment, sums: VariantSums[], computedAt = new Date()): ExperimentResults {
  const byKey = new Map(sums.map((s) => [s.variant, s]));
  const planned = x.plannedCustomersPerVariant;
  const alpha = perComparisonAlpha(ALPHA, x.variants.length);
  const control = estimates(byKey.get(x.controlKey) ?? emptySums(x.controlKey));
  const guardrails: GuardrailResult[] = [];
  const variants = x.variants.map((v): VariantResult => {
    const s = byKey.get(v.key) ?? emptySums(v.key);
    const isControl = v.key === x.controlKey;
    const own = estimates(s);
    const metrics = METRICS.map((metric): MetricResult => {
      const vsControl = isControl ? null : compare(control[metric], own[metric], planned, alpha);
      if (vsControl && GUARDRAIL_METRICS.includes(metric))
        guardrails.push({ variant: v.key, metric, state: guardrail(vsControl) });
      return { metric, value: own[metric].value, interval: confidenceSequence(own[metric], planned, ALPHA), vsControl };
    });
    return {
      key: v.key,
      name: v.name,
      isControl,
      customers: s.customers,
      exposures: s.exposures,
      clicks: s.clicks,
      carts: s.carts,
      conversions: s.converted,
      revenue: s.revenue,
      metrics,
    };
  });
  const results = { experimentId: x.id, computedAt, alpha: ALPHA, variants, guardrails, summary: '' };
  return { ...results, summary: summarize(x, results) };
}

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

function summarize(x: Experiment, r: Omit<ExperimentResults, 'summary'>): string {
  const control = r.variants.find((v) => v.isControl);
  const lines: string[] = [];
  const total = r.variants.reduce((s, v) => s + v.customers, 0);
  lines.push(
    `${x.name} (${x.status.toLowerCase()}): ${total} customers so far across ${r.variants.length} variants; control is "${control?.name ?? x.controlKey}".`,
  );
  for (const v of r.variants) {
    if (v.isControl) continue;
    const conv = v.metrics.find((m) => m.metric === 'CONVERSION_RATE')?.vsControl;
    const rev = v.metrics.find((m) => m.metric === 'REVENUE_PER_CUSTOMER')?.vsControl;
    if (!conv?.differenceInterval) {
      lines.push(`"${v.name}": not enough data yet to compare (each variant needs at least 30 customers).`);
      continue;
    }
    const liftText = (c: Comparison) =>
      c.lift === null || !c.liftInterval
        ? 'n/a'
        : `${c.lift >= 0 ? '+' : ''}${pct(c.lift)} (between ${pct(c.liftInterval.low)} and ${pct(c.liftInterval.high)})`;
    const verdict = (c: Comparison, what: string) =>
      c.significant
        ? `${what} is ${c.direction === 'BETTER' ? 'higher' : 'lower'} than control: ${liftText(c)}`
        : `${what}: no difference established yet, ${liftText(c)}`;
    lines.push(`"${v.name}": ${verdict(conv, 'conversion')}; ${rev ? verdict(rev, 'revenue per customer') : ''}.`);
    const failed = r.guardrails.filter((g) => g.variant === v.key && g.state === 'FAILED');
    if (failed.length)
      lines.push(`  Guardrail failed for "${v.name}" (${failed.map((g) => g.metric).join(', ')}): do not ship it.`);
  }
  lines.push(
    'These intervals stay valid however often you look (always-valid confidence sequences); a call made today will not be undone by the chance of looking again tomorrow.',
  );
  return lines.join('\n');
}

/** Reads the sums per variant (after attributing new outcomes) and computes the results. */
export async function computeResults(pool: Pool, x: Experiment): Promise<ExperimentResults> {
  await attributeOutcomes(pool, x);
  const { rows } = await pool.query<Record<keyof VariantSums, string | number>>(
    `WITH o AS (
       SELECT subject_id,
              count(*) FILTER (WHERE kind IN ('click', 'view')) AS clicks,
              count(*) FILTER (WHERE kind = 'cart') AS carts,
              bool_or(kind IN ('purchase', 'order')) AS converted,
              COALESCE(sum(value) FILTER (WHERE kind = 'order'), 0) AS revenue,
              COALESCE(sum(value) FILTER (WHERE kind = 'order' AND attribution <> 'customer'), 0) AS attributed
         FROM experiment_outcomes WHERE experiment_id = $1 GROUP BY subject_id)
     SELECT s.variant AS "variant", count(*) AS "customers",
            sum(s.exposures) AS "exposures", sum(s.exposures::float8 ^ 2) AS "exposuresSq",
            COALESCE(sum(o.clicks), 0) AS "clicks", COALESCE(sum(o.clicks::float8 ^ 2), 0) AS "clicksSq",
            COALESCE(sum(o.clicks * s.exposures::float8), 0) AS "clicksX",
            COALESCE(sum(o.carts), 0) AS "carts", COALESCE(sum(o.carts::float8 ^ 2), 0) AS "cartsSq",
            COALESCE(sum(o.carts * s.exposures::float8), 0) AS "cartsX",
            count(*) FILTER (WHERE o.converted) AS "converted",
            COALESCE(sum(o.revenue), 0) AS "revenue", COALESCE(sum(o.revenue ^ 2), 0) AS "revenueSq",
            COALESCE(sum(o.revenue * s.exposures), 0) AS "revenueX",
            COALESCE(sum(o.attributed), 0) AS "attributed", COALESCE(sum(o.attributed ^ 2), 0) AS "attributedSq"
       FROM experiment_subjects s LEFT JOIN o ON o.subject_id = s.subject_id
      WHERE s.experiment_id = $1
      GROUP BY s.variant`,
    [x.id],
  );
  const sums = rows.map((r) => {
    const out = emptySums(String(r.variant));
    for (const k of Object.keys(out) as (keyof VariantSums)[]) if (k !== 'variant') out[k] = Number(r[k]);
    return out;
  });
  return resultsFromSums(x, sums);
}

/** The results as CSV: one row per variant and metric. */
export function resultsCsv(r: ExperimentResults): string {
  const head =
    'experiment_id,variant,is_control,customers,exposures,metric,value,ci_low,ci_high,difference,diff_ci_low,diff_ci_high,lift,lift_ci_low,lift_ci_high,p_value,significant,direction';
  const num = (v: number | null | undefined) =>
    v == null || !Number.isFinite(v) ? '' : String(Number(v.toPrecision(8)));
  const lines = r.variants.flatMap((v) =>
    v.metrics.map((m) => {
      const c = m.vsControl;
      return [
        r.experimentId,
        v.key,
        v.isControl,
        v.customers,
        v.exposures,
        m.metric,
        num(m.value),
        num(m.interval?.low),
        num(m.interval?.high),
        num(c?.difference),
        num(c?.differenceInterval?.low),
        num(c?.differenceInterval?.high),
        num(c?.lift),
        num(c?.liftInterval?.low),
        num(c?.liftInterval?.high),
        c ? num(c.pValue) : '',
        c ? String(c.significant) : '',
        c?.direction ?? '',
      ].join(',');
    }),
  );
  return `${[head, ...lines].join('\n')}\n`;
}
