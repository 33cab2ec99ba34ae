// One run: its stages as a timeline, live while it is active (the runProgress subscription over
// the session's WebSocket; polling every 1.5 s while the socket is not connected), and a cancel
// button for admins.
import { useEffect } from 'react';
import { Link, useParams } from 'react-router';
import { useMutation, useQuery, useSubscription } from 'urql';
import { useCanAct } from '../auth/session-context';
import { ErrorMessage, UserErrors } from '../components/ErrorMessage';
import { dateTime, duration } from '../components/format';
import { StageTimeline } from '../components/StageTimeline';
import { StatusBadge } from '../components/StatusBadge';
import { graphql } from '../graphql/__generated__';
import { useSocketConnected } from '../graphql/live-socket';

export const RunDetail = graphql(`
  fragment RunDetail on PipelineRun {
    ...RunSummary
    startedAt
    stages {
      name
      status
      progress
      message
      startedAt
      finishedAt
      durationMs
      attempts
      counts {
        name
        value
      }
      error
    }
  }
`);

const RunQuery = graphql(`
  query RunPage($id: ID!) {
    pipelineRun(id: $id) {
      ...RunDetail
    }
  }
`);

const RunProgress = graphql(`
  subscription RunProgress($id: ID!) {
    runProgress(id: $id) {
      ...RunDetail
    }
  }
`);

const CancelRun = graphql(`
  mutation CancelRun($id: ID!) {
    cancelPipelineRun(id: $id) {
      run {
        id
        status
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`);

const ACTIVE = new Set(['QUEUED', 'RUNNING', 'WAITING']);
const POLL_MS = 1500;

export default function RunPage() {
  const { id = '' } = useParams();
  const [{ data, error }, refetch] = useQuery({ query: RunQuery, variables: { id }, requestPolicy: 'network-only' });
  const [cancel, doCancel] = useMutation(CancelRun);
  const canAct = useCanAct();
  const polled = data?.pipelineRun;
  const pollActive = polled ? ACTIVE.has(polled.status) : false;
  const [live] = useSubscription({ query: RunProgress, variables: { id }, pause: !pollActive });
  const connected = useSocketConnected();
  // The socket's newest state once it has sent one (it sends the current state at once).
  const run = live.data?.runProgress ?? polled;
  const active = run ? ACTIVE.has(run.status) : false;
  const viaSocket = connected && live.data?.runProgress != null;

  useEffect(() => {
    if (!active || viaSocket) return;
    const timer = setInterval(() => {
      refetch({ requestPolicy: 'network-only' });
    }, POLL_MS);
    return () => {
      clearInterval(timer);
    };
  }, [active, viaSocket, refetch]);

  if (error) return <ErrorMessage error={error} prefix={`Run ${id} could not be loaded`} />;
  if (!run) return <p>{data ? `There is no run ${id}.` : 'Loading…'}</p>;
  return (
    <section>
      <p>
        <Link to="/runs">← All runs</Link>
      </p>
      <h1>
        Run #{run.id} <StatusBadge status={run.status} />
      </h1>
      <p aria-live="polite" data-testid="run-status">
        {run.mode} run of {run.recipes.join(', ')} on the {run.engine} engine, started by {run.trigger} at{' '}
        {dateTime(run.startedAt ?? run.createdAt)}; {active ? 'running for' : 'took'} {duration(run.durationMs)}.
        {active ? (viaSocket ? ' Updating live.' : ' Updating every 1.5 s.') : ''}
      </p>
      {run.error && <ErrorMessage error={run.error} prefix="Failed" />}
      {canAct && active && (
        <button
          type="button"
          className="danger"
          disabled={cancel.fetching}
          onClick={() => {
            void doCancel({ id: run.id });
          }}
        >
          Cancel run
        </button>
      )}
      {cancel.error && <ErrorMessage error={cancel.error} prefix="The run was not cancelled" />}
      {cancel.data && <UserErrors errors={cancel.data.cancelPipelineRun.userErrors} />}
      <StageTimeline stages={run.stages} />
    </section>
  );
}
