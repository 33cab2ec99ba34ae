// The experiments: a list (newest first) linking to each one's results, and for admins the form
// that creates one. A read key sees the list; only admins act.
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { useCanAct } from '../auth/session-context';
import { ErrorMessage } from '../components/ErrorMessage';
import { ExperimentForm } from '../components/ExperimentForm';
import { dateTime } from '../components/format';
import { StatusBadge } from '../components/StatusBadge';
import { TableWrap } from '../components/TableWrap';
import { graphql } from '../graphql/__generated__';

const Experiments = graphql(`
  query Experiments {
    experiments(first: 100) {
      id
      name
      status
      surfaces
      startedAt
      createdAt
      shippedVariant
      variants {
        key
        share
      }
    }
  }
`);

export default function ExperimentsPage() {
  const [{ data, error }] = useQuery({ query: Experiments });
  const canAct = useCanAct();
  const list = data?.experiments ?? [];
  return (
    <section>
      <h1>Experiments</h1>
      <p className="hint">
        A/B tests of recommendation strategies: each customer (or anonymous session) sticks to one variant; results
        compare each variant with the control, with intervals valid however often they are read.
      </p>
      {error && <ErrorMessage error={error} prefix="Experiments could not be loaded" />}
      {data && list.length === 0 && <p>No experiments yet.</p>}
      {list.length > 0 && (
        <TableWrap label="Experiments">
          <table>
            <caption>Experiments, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Status</th>
                <th scope="col">Surfaces</th>
                <th scope="col">Variants (share %)</th>
                <th scope="col">Started</th>
              </tr>
            </thead>
            <tbody>
              {list.map((x) => (
                <tr key={x.id}>
                  <td>
                    <Link to={`/experiments/${x.id}`}>{x.name}</Link>
                  </td>
                  <td>
                    <StatusBadge status={x.status} />
                    {x.shippedVariant ? ` ${x.shippedVariant}` : ''}
                  </td>
                  <td>{x.surfaces.join(', ').toLowerCase()}</td>
                  <td>{x.variants.map((v) => `${v.key} ${v.share}`).join(' / ')}</td>
                  <td>{dateTime(x.startedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      {canAct && <ExperimentForm />}
    </section>
  );
}
