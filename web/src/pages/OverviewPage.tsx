// The system at a glance: coverage, freshness, batch, engine, alerts, schedules, the last runs,
// and coverage and freshness over time.
import { useMemo } from 'react';
import { useQuery } from 'urql';
import { ErrorMessage } from '../components/ErrorMessage';
import { Figure } from '../components/Figure';
import { dateTime, number } from '../components/format';
import { LineChart } from '../components/LineChart';
import { RunTable } from '../components/RunTable';
import { graphql } from '../graphql/__generated__';
import { TableWrap } from '../components/TableWrap';

const OverviewQuery = graphql(`
  query Overview($days: Int!) {
    systemStatus {
      coverage
      freshnessDays
      customersWithRecommendations
      orderingCustomers
      productsWithSimilarItems
      batchVersion
      engine
      redisAvailable
      activeAlerts {
        id
        kind
        severity
        message
        raisedAt
      }
      schedules {
        name
        cron
        enabled
        nextFires(count: 2)
      }
    }
    pipelineRuns(first: 5) {
      edges {
        node {
          ...RunSummary
        }
      }
    }
    healthHistory(days: $days) {
      takenAt
      coverage
      freshnessDays
    }
  }
`);

const PERCENT: [number, number] = [0, 100];

export default function OverviewPage() {
  const [{ data, error, fetching }] = useQuery({ query: OverviewQuery, variables: { days: 90 } });
  const history = data?.healthHistory;
  const charts = useMemo(() => {
    if (!history?.length) return null;
    const x = history.map((h) => Date.parse(h.takenAt) / 1000);
    return {
      x,
      coverage: [{ label: 'coverage %', values: history.map((h) => h.coverage), colour: '#2f7bd8' }],
      freshness: [
        { label: 'freshness (days)', values: history.map((h) => h.freshnessDays ?? null), colour: '#d8782f' },
      ],
    };
  }, [history]);

  if (error) return <ErrorMessage error={error} prefix="The overview could not be loaded" />;
  if (!data) return <p aria-busy={fetching}>Loading the overview…</p>;
  const s = data.systemStatus;
  return (
    <section>
      <h1>Overview</h1>
      <dl className="figures" data-testid="figures">
        <Figure
          label="Coverage"
          value={`${number(s.coverage, 1)}%`}
          detail={`${number(s.customersWithRecommendations)} of ${number(s.orderingCustomers)} ordering customers`}
          tone={s.coverage >= 90 ? 'good' : 'bad'}
        />
        <Figure
          label="Freshness"
          value={s.freshnessDays == null ? 'never loaded' : `${number(s.freshnessDays, 1)} days`}
          detail="since the served batch was loaded"
          tone={s.freshnessDays != null && s.freshnessDays <= 35 ? 'good' : 'bad'}
        />
        <Figure
          label="Batch version"
          value={String(s.batchVersion)}
          detail={`${number(s.productsWithSimilarItems)} products with similar items`}
        />
        <Figure
          label="Engine"
          value={s.engine}
          detail={s.redisAvailable ? 'Redis hot layer up' : 'Redis down: PostgreSQL serves'}
        />
      </dl>

      <h2>Active alerts</h2>
      {s.activeAlerts.length ? (
        <ul className="alerts">
          {s.activeAlerts.map((a) => (
            <li key={a.id} className={`alert alert-${a.severity}`}>
              <strong>{a.kind}</strong> ({a.severity}, {dateTime(a.raisedAt)}): {a.message}
            </li>
          ))}
        </ul>
      ) : (
        <p>No active alerts.</p>
      )}

      <div className="columns">
        <div>
          <h2>Schedules</h2>
          <TableWrap label="Schedules and their next fire times">
            <table>
              <caption className="visually-hidden">Schedules and their next fire times</caption>
              <thead>
                <tr>
                  <th scope="col">Schedule</th>
                  <th scope="col">Cron (UTC)</th>
                  <th scope="col">Next fires</th>
                </tr>
              </thead>
              <tbody>
                {s.schedules.map((sch) => (
                  <tr key={sch.name}>
                    <td>{sch.name}</td>
                    <td>
                      <code>{sch.cron || '—'}</code>
                    </td>
                    <td>{sch.enabled ? sch.nextFires.map(dateTime).join(', ') : 'not registered'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        </div>
      </div>

      <h2>Last runs</h2>
      <RunTable runs={data.pipelineRuns.edges.map((e) => e.node)} caption="The five most recent pipeline runs" />

      <h2>Over time</h2>
      {charts ? (
        <div className="charts">
          <LineChart
            title="Coverage (% of ordering customers)"
            x={charts.x}
            series={charts.coverage}
            yRange={PERCENT}
          />
          <LineChart title="Freshness (days since the batch was loaded)" x={charts.x} series={charts.freshness} />
        </div>
      ) : (
        <p>No history yet: figures are recorded after every run and on the alerts schedule.</p>
      )}
    </section>
  );
}
