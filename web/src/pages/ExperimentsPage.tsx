// The experiments: a list (newest first) linking to each one's results, and for admins the form
// that creates one. A read key sees the list; only admins act.
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { useCanAct } from '../auth/session-context';
import { ErrorMessage } from '../components/ErrorMessage';
import { ExperimentForm } from '../components/ExperimentForm';
import { dateTime } from '../components/format';
import { StatusBadge } from '../components/StatusBadge';
import { DataTable, type Column } from '../components/DataTable';
import { graphql } from '../graphql/__generated__';
import type { ExperimentsQuery } from '../graphql/__generated__/graphql';

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

const COLUMNS: readonly Column<ExperimentsQuery['experiments'][number]>[] = [
  { header: 'Name', cell: (x) => <Link to={`/experiments/${x.id}`}>{x.name}</Link> },
  {
    header: 'Status',
    cell: (x) => (
      <>
        <StatusBadge status={x.status} />
        {x.shippedVariant ? ` ${x.shippedVariant}` : ''}
      </>
    ),
  },
  { header: 'Surfaces', cell: (x) => x.surfaces.join(', ').toLowerCase() },
  { header: 'Variants (share %)', cell: (x) => x.variants.map((v) => `${v.key} ${v.share}`).join(' / ') },
  { header: 'Started', cell: (x) => dateTime(x.startedAt) },
];

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
      {data && (
        <DataTable
          caption="Experiments, newest first"
          rows={list}
          rowKey={(x) => x.id}
          columns={COLUMNS}
          empty="No experiments yet."
        />
      )}
      {canAct && <ExperimentForm />}
    </section>
  );
}
