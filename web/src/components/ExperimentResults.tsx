// An experiment's results: the plain-words summary, guardrail flags, per-variant counts, and each
// metric per variant with its interval and its lift over the control (interval and direction),
// plus the same figures as a CSV download.
import type { ExperimentPageQuery } from '../graphql/__generated__/graphql';
import { number } from './format';
import { TableWrap } from './TableWrap';
import { DataTable, type Column } from './DataTable';

type Results = NonNullable<ExperimentPageQuery['experiment']>['results'];
type Interval = { low: number; high: number } | null;

const METRIC_NAMES: Record<string, string> = {
  CLICK_THROUGH_RATE: 'Click-through rate',
  ADD_TO_CART_RATE: 'Add-to-cart rate',
  CONVERSION_RATE: 'Conversion rate',
  REVENUE_PER_CUSTOMER: 'Revenue per customer',
  REVENUE_PER_EXPOSURE: 'Revenue per exposure',
  ATTRIBUTED_REVENUE_PER_CUSTOMER: 'Attributed revenue per customer',
};
const RATES = new Set(['CLICK_THROUGH_RATE', 'ADD_TO_CART_RATE', 'CONVERSION_RATE']);

const value = (metric: string, v: number) => (RATES.has(metric) ? `${number(v * 100, 2)}%` : number(v, 2));
const range = (metric: string, i: Interval) => (i ? `[${value(metric, i.low)}, ${value(metric, i.high)}]` : '');
const pct = (v: number) => `${v >= 0 ? '+' : ''}${number(v * 100, 1)}%`;

const VARIANT_COLUMNS: readonly Column<Results['variants'][number]>[] = [
  { header: 'Variant', cell: (v) => `${v.name} (${v.key})${v.isControl ? ', control' : ''}`, rowHeader: true },
  { header: 'Customers', cell: (v) => number(v.customers) },
  { header: 'Exposures', cell: (v) => number(v.exposures) },
  { header: 'Clicks', cell: (v) => number(v.clicks) },
  { header: 'Conversions', cell: (v) => number(v.conversions) },
  { header: 'Revenue', cell: (v) => number(v.revenue, 2) },
];

function download(csv: string, name: string) {
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  URL.revokeObjectURL(url);
}

export function ExperimentResults({ results, id }: { results: Results; id: string }) {
  const metrics = results.variants[0]?.metrics.map((m) => m.metric) ?? [];
  const flagged = results.guardrails.filter((g) => g.state !== 'OK');
  return (
    <section aria-labelledby="results-title">
      <h2 id="results-title">Results</h2>
      <p data-testid="experiment-summary">{results.summary}</p>
      {flagged.length > 0 && (
        <ul className="alerts" aria-label="Guardrails">
          {flagged.map((g) => (
            <li key={`${g.variant}:${g.metric}`} className={g.state === 'FAILED' ? 'alert-critical' : undefined}>
              <strong>{g.state.replace('_', ' ').toLowerCase()}</strong>: {g.variant} on {METRIC_NAMES[g.metric]}
            </li>
          ))}
        </ul>
      )}
      <DataTable
        caption="Variants"
        rows={results.variants}
        rowKey={(v) => v.key}
        columns={VARIANT_COLUMNS}
        empty="No variants."
      />
      <TableWrap label="Metrics">
        <table>
          <caption>Metrics with 95% intervals; lift against the control</caption>
          <thead>
            <tr>
              <th scope="col">Metric</th>
              {results.variants.map((v) => (
                <th scope="col" key={v.key}>
                  {v.key}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {metrics.map((metric) => (
              <tr key={metric}>
                <th scope="row">{METRIC_NAMES[metric] ?? metric}</th>
                {results.variants.map((v) => {
                  const m = v.metrics.find((x) => x.metric === metric);
                  if (!m) return <td key={v.key}>—</td>;
                  const c = m.vsControl;
                  return (
                    <td key={v.key}>
                      {value(metric, m.value)} <span className="hint">{range(metric, m.interval)}</span>
                      {c && c.lift != null && (
                        <div>
                          lift {pct(c.lift)}{' '}
                          {c.liftInterval && (
                            <span className="hint">
                              [{pct(c.liftInterval.low)}, {pct(c.liftInterval.high)}]
                            </span>
                          )}{' '}
                          {c.direction !== 'NONE' && <strong>{c.direction.toLowerCase()}</strong>}
                        </div>
                      )}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      <button
        type="button"
        onClick={() => {
          download(results.csv, `experiment-${id}-results.csv`);
        }}
      >
        Download CSV
      </button>
    </section>
  );
}
