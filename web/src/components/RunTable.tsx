// Pipeline runs as a table: the overview's last runs and the runs page's list.
import { Link } from 'react-router';
import { graphql } from '../graphql/__generated__';
import type { RunSummaryFragment } from '../graphql/__generated__/graphql';
import { dateTime, duration } from './format';
import { StatusBadge } from './StatusBadge';
import { DataTable, type Column } from './DataTable';

export const RunSummary = graphql(`
  fragment RunSummary on PipelineRun {
    id
    mode
    status
    trigger
    engine
    recipes
    error
    createdAt
    finishedAt
    durationMs
  }
`);

const COLUMNS: readonly Column<RunSummaryFragment>[] = [
  { header: 'Run', cell: (r) => <Link to={`/runs/${r.id}`}>#{r.id}</Link> },
  { header: 'Status', cell: (r) => <StatusBadge status={r.status} /> },
  { header: 'Mode', cell: (r) => r.mode },
  { header: 'Trigger', cell: (r) => r.trigger },
  { header: 'Started', cell: (r) => dateTime(r.createdAt) },
  { header: 'Took', cell: (r) => duration(r.durationMs) },
  { header: 'Error', cell: (r) => r.error ?? '', wrap: true },
];

export function RunTable({ runs, caption }: { runs: readonly RunSummaryFragment[]; caption: string }) {
  return (
    <DataTable caption={caption} rows={runs} rowKey={(r) => r.id} columns={COLUMNS} empty="No pipeline runs yet." />
  );
}
