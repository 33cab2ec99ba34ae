// Pipeline runs as a table: the overview's last runs and the runs page's list.
import { Link } from 'react-router';
import { graphql } from '../graphql/__generated__';
import type { RunSummaryFragment } from '../graphql/__generated__/graphql';
import { dateTime, duration } from './format';
import { StatusBadge } from './StatusBadge';
import { TableWrap } from './TableWrap';

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

export function RunTable({ runs, caption }: { runs: readonly RunSummaryFragment[]; caption: string }) {
  if (!runs.length) return <p>No pipeline runs yet.</p>;
  return (
    <TableWrap label={caption}>
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Run</th>
            <th scope="col">Status</th>
            <th scope="col">Mode</th>
            <th scope="col">Trigger</th>
            <th scope="col">Started</th>
            <th scope="col">Took</th>
            <th scope="col">Error</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((r) => (
            <tr key={r.id}>
              <td>
                <Link to={`/runs/${r.id}`}>#{r.id}</Link>
              </td>
              <td>
                <StatusBadge status={r.status} />
              </td>
              <td>{r.mode}</td>
              <td>{r.trigger}</td>
              <td>{dateTime(r.createdAt)}</td>
              <td>{duration(r.durationMs)}</td>
              <td className="wrap">{r.error ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}
