// One schedule's cron, checked as it is typed (the gateway's own parser, through cronPreview),
// with the next fire times it would give.
import { useEffect, useState, type SyntheticEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../graphql/__generated__';
import { ErrorMessage, UserErrors } from './ErrorMessage';
import { dateTime } from './format';

const Preview = graphql(`
  query CronPreview($cron: String!) {
    cronPreview(cron: $cron, count: 3) {
      valid
      error
      nextFires
    }
  }
`);

const SetSchedule = graphql(`
  mutation SetSchedule($name: String!, $cron: String!) {
    setSchedule(name: $name, cron: $cron) {
      schedule {
        name
        cron
        enabled
        nextFires(count: 3)
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`);

function useDebounced(value: string, ms: number): string {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => {
      setSettled(value);
    }, ms);
    return () => {
      clearTimeout(t);
    };
  }, [value, ms]);
  return settled;
}

export function ScheduleEditor({
  schedule,
  canAct,
}: {
  schedule: { name: string; cron: string; enabled: boolean; nextFires: readonly string[] };
  canAct: boolean;
}) {
  const [cron, setCron] = useState(schedule.cron);
  const checked = useDebounced(cron, 250);
  const [preview] = useQuery({ query: Preview, variables: { cron: checked }, pause: !checked.trim() });
  const [saved, save] = useMutation(SetSchedule);
  const p = preview.data?.cronPreview;
  const inputId = `cron-${schedule.name}`;
  const submit = (e: SyntheticEvent<HTMLFormElement>) => {
    e.preventDefault();
    void save({ name: schedule.name, cron });
  };
  return (
    <form className="card schedule" onSubmit={submit} aria-label={`Schedule ${schedule.name}`}>
      <h3>{schedule.name}</h3>
      <label htmlFor={inputId}>Cron (UTC)</label>
      <input
        id={inputId}
        value={cron}
        readOnly={!canAct}
        spellCheck={false}
        aria-invalid={p ? !p.valid : undefined}
        aria-describedby={`${inputId}-check`}
        onChange={(e) => {
          setCron(e.target.value);
        }}
      />
      <p id={`${inputId}-check`} aria-live="polite" className={p && !p.valid ? 'error' : 'hint'}>
        {p ? (p.valid ? `Next: ${p.nextFires.map(dateTime).join(', ')}` : `Not valid: ${p.error ?? ''}`) : ' '}
      </p>
      {canAct && (
        <button type="submit" disabled={saved.fetching || !p?.valid || cron === schedule.cron}>
          Save
        </button>
      )}
      {saved.data?.setSchedule.schedule && <p role="status">Saved: {saved.data.setSchedule.schedule.cron}</p>}
      {saved.data && <UserErrors errors={saved.data.setSchedule.userErrors} />}
      {saved.error && <ErrorMessage error={saved.error} prefix="Not saved" />}
    </form>
  );
}
