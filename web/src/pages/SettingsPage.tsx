// Settings: schedules (cron checked as typed, next fires), the cache, and API keys. A read
// session sees the schedules; changing anything needs an admin session.
import { useMutation, useQuery } from 'urql';
import { useCanAct } from '../auth/session-context';
import { ApiKeys } from '../components/ApiKeys';
import { ErrorMessage } from '../components/ErrorMessage';
import { ScheduleEditor } from '../components/ScheduleEditor';
import { graphql } from '../graphql/__generated__';

const Schedules = graphql(`
  query Schedules {
    systemStatus {
      schedules {
        name
        cron
        enabled
        nextFires(count: 3)
      }
    }
  }
`);

const Invalidate = graphql(`
  mutation InvalidateCache {
    invalidateCache {
      removedKeys
    }
  }
`);

export default function SettingsPage() {
  const canAct = useCanAct();
  const [{ data, error }] = useQuery({ query: Schedules });
  const [invalidated, invalidate] = useMutation(Invalidate);
  return (
    <section>
      <h1>Settings</h1>
      <h2>Schedules</h2>
      {!canAct && <p className="hint">Signed in with a read key: changes need an admin key.</p>}
      {error && <ErrorMessage error={error} prefix="Schedules could not be loaded" />}
      <div className="cards">
        {data?.systemStatus.schedules.map((s) => (
          // Keyed by name only: a key with the cron remounted the editor when the saved cron came
          // back from the refetch, and the "Saved" confirmation vanished with it.
          <ScheduleEditor key={s.name} schedule={s} canAct={canAct} />
        ))}
      </div>
      {canAct && (
        <>
          <h2>Cache</h2>
          <p>
            Drops the current batch's hot-layer entries and cached responses; they are rebuilt on the next requests.
          </p>
          <button
            type="button"
            disabled={invalidated.fetching}
            onClick={() => {
              void invalidate({});
            }}
          >
            Invalidate cache
          </button>
          {invalidated.data && <p role="status">Removed {invalidated.data.invalidateCache.removedKeys} Redis keys.</p>}
          {invalidated.error && <ErrorMessage error={invalidated.error} prefix="Not invalidated" />}
          <ApiKeys />
        </>
      )}
    </section>
  );
}
