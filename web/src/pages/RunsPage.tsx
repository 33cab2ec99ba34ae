// Pipeline runs, newest first, a page at a time; admins can start one from here.
import { useState } from 'react';
import { useQuery } from 'urql';
import { useCanAct } from '../auth/session-context';
import { ErrorMessage } from '../components/ErrorMessage';
import { RunTable } from '../components/RunTable';
import { StartRunForm } from '../components/StartRunForm';
import { graphql } from '../graphql/__generated__';

const RunsQuery = graphql(`
  query Runs($first: Int!, $after: String) {
    pipelineRuns(first: $first, after: $after) {
      edges {
        node {
          ...RunSummary
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
    systemStatus {
      recipes
    }
  }
`);

const PAGE = 10;

export default function RunsPage() {
  // The cursors of the pages before this one, so "Newer" can go back.
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const after = cursors.at(-1) ?? null;
  const [{ data, error }] = useQuery({ query: RunsQuery, variables: { first: PAGE, after } });
  const canAct = useCanAct();
  const page = data?.pipelineRuns;

  return (
    <section>
      <h1>Pipeline runs</h1>
      {canAct && data && <StartRunForm recipes={data.systemStatus.recipes} />}
      {error && <ErrorMessage error={error} prefix="Runs could not be loaded" />}
      {page && (
        <>
          <RunTable runs={page.edges.map((e) => e.node)} caption={`Runs, page ${cursors.length}`} />
          <nav className="pager" aria-label="Pages of runs">
            <button
              type="button"
              disabled={cursors.length === 1}
              onClick={() => {
                setCursors(cursors.slice(0, -1));
              }}
            >
              Newer
            </button>
            <button
              type="button"
              disabled={!page.pageInfo.hasNextPage}
              onClick={() => {
                setCursors([...cursors, page.pageInfo.endCursor ?? null]);
              }}
            >
              Older
            </button>
          </nav>
        </>
      )}
    </section>
  );
}
