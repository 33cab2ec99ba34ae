// One experiment: its variants and history, the lifecycle buttons an admin may press from its
// status (start, pause, resume, stop, ship a variant; a ship refused by a guardrail is shown as
// the API gave it, with the option to force), and its results.
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { useCanAct } from '../auth/session-context';
import { ErrorMessage, UserErrors } from '../components/ErrorMessage';
import { ExperimentResults } from '../components/ExperimentResults';
import { dateTime } from '../components/format';
import { StatusBadge } from '../components/StatusBadge';
import { graphql } from '../graphql/__generated__';

const ExperimentQuery = graphql(`
  query ExperimentPage($id: ID!) {
    experiment(id: $id) {
      id
      name
      description
      status
      surfaces
      controlKey
      shippedVariant
      attributionWindowDays
      variants {
        key
        name
        share
        isControl
        strategy {
          kind
        }
      }
      history {
        action
        toStatus
        note
        at
      }
      results {
        summary
        csv
        guardrails {
          variant
          metric
          state
        }
        variants {
          key
          name
          isControl
          customers
          exposures
          clicks
          conversions
          revenue
          metrics {
            metric
            value
            interval {
              low
              high
            }
            vsControl {
              lift
              liftInterval {
                low
                high
              }
              direction
            }
          }
        }
      }
    }
  }
`);

const Start = graphql(`
  mutation StartExperiment($id: ID!) {
    startExperiment(id: $id) {
      ...ExperimentMove
    }
  }
`);
const Pause = graphql(`
  mutation PauseExperiment($id: ID!) {
    pauseExperiment(id: $id) {
      ...ExperimentMove
    }
  }
`);
const Resume = graphql(`
  mutation ResumeExperiment($id: ID!) {
    resumeExperiment(id: $id) {
      ...ExperimentMove
    }
  }
`);
const Stop = graphql(`
  mutation StopExperiment($id: ID!) {
    stopExperiment(id: $id) {
      ...ExperimentMove
    }
  }
`);
const Ship = graphql(`
  mutation ShipExperiment($id: ID!, $variant: String!, $force: Boolean!) {
    shipExperiment(id: $id, variant: $variant, force: $force) {
      ...ExperimentMove
    }
  }
`);
export const ExperimentMove = graphql(`
  fragment ExperimentMove on ExperimentPayload {
    experiment {
      id
      status
    }
    userErrors {
      field
      message
      code
    }
  }
`);

export default function ExperimentPage() {
  const { id = '' } = useParams();
  const [{ data, error }, refetch] = useQuery({ query: ExperimentQuery, variables: { id } });
  const canAct = useCanAct();
  const [start, doStart] = useMutation(Start);
  const [pause, doPause] = useMutation(Pause);
  const [resume, doResume] = useMutation(Resume);
  const [stop, doStop] = useMutation(Stop);
  const [ship, doShip] = useMutation(Ship);
  const [winner, setWinner] = useState('');
  const [force, setForce] = useState(false);
  const x = data?.experiment;
  if (error) return <ErrorMessage error={error} prefix={`Experiment ${id} could not be loaded`} />;
  if (!x) return <p>{data ? `There is no experiment ${id}.` : 'Loading…'}</p>;
  const after = () => {
    refetch({ requestPolicy: 'network-only' });
  };
  const moves = [start, pause, resume, stop, ship];
  const busy = moves.some((m) => m.fetching);
  const chosen = winner || (x.variants.find((v) => !v.isControl)?.key ?? '');
  const live = x.status === 'RUNNING' || x.status === 'PAUSED';
  return (
    <section>
      <p>
        <Link to="/experiments">← All experiments</Link>
      </p>
      <h1>
        {x.name} <StatusBadge status={x.status} />
      </h1>
      {x.description && <p>{x.description}</p>}
      <p>
        On {x.surfaces.join(', ').toLowerCase()}; variants{' '}
        {x.variants.map((v) => `${v.name} (${v.key}, ${v.share}%, ${v.strategy.kind.toLowerCase()})`).join(', ')};
        control {x.controlKey}; orders count for {x.attributionWindowDays} days after the last exposure.
        {x.shippedVariant ? ` Shipped: ${x.shippedVariant}.` : ''}
      </p>
      {canAct && (
        <div className="inline-form" role="group" aria-label="Experiment actions">
          {x.status === 'DRAFT' && (
            <button type="button" disabled={busy} onClick={() => void doStart({ id }).then(after)}>
              Start
            </button>
          )}
          {x.status === 'RUNNING' && (
            <button type="button" disabled={busy} onClick={() => void doPause({ id }).then(after)}>
              Pause
            </button>
          )}
          {x.status === 'PAUSED' && (
            <button type="button" disabled={busy} onClick={() => void doResume({ id }).then(after)}>
              Resume
            </button>
          )}
          {live && (
            <>
              <label>
                Winner{' '}
                <select
                  value={chosen}
                  onChange={(e) => {
                    setWinner(e.target.value);
                  }}
                >
                  {x.variants.map((v) => (
                    <option key={v.key} value={v.key}>
                      {v.name} ({v.key})
                    </option>
                  ))}
                </select>
              </label>
              <label className="inline">
                <input
                  type="checkbox"
                  checked={force}
                  onChange={(e) => {
                    setForce(e.target.checked);
                  }}
                />
                Ship even past a failed guardrail
              </label>
              <button
                type="button"
                disabled={busy}
                onClick={() => void doShip({ id, variant: chosen, force }).then(after)}
              >
                Ship {chosen}
              </button>
            </>
          )}
          {x.status !== 'STOPPED' && (
            <button type="button" className="danger" disabled={busy} onClick={() => void doStop({ id }).then(after)}>
              Stop
            </button>
          )}
        </div>
      )}
      {moves.map((m, i) => (
        <div key={i}>
          {m.error && <ErrorMessage error={m.error} prefix="Not done" />}
          {m.data && <UserErrors errors={Object.values(m.data)[0]?.userErrors ?? []} />}
        </div>
      ))}
      <ExperimentResults results={x.results} id={x.id} />
      <h2>History</h2>
      <ul>
        {x.history.map((h) => (
          <li key={`${h.at}:${h.action}`}>
            {dateTime(h.at)}: {h.action} → {h.toStatus.toLowerCase()}
            {h.note ? ` (${h.note})` : ''}
          </li>
        ))}
      </ul>
    </section>
  );
}
