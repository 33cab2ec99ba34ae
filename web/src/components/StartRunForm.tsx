// Start a pipeline run: FULL or UPDATE, which recipes, whether to sync the store first. The API's
// refusal (a run already active, an unknown recipe) is shown as it was given.
import { useState, type SyntheticEvent } from 'react';
import { useNavigate } from 'react-router';
import { useMutation } from 'urql';
import { graphql } from '../graphql/__generated__';
import type { TrainingMode } from '../graphql/__generated__/graphql';
import { ErrorMessage, UserErrors } from './ErrorMessage';

const StartRun = graphql(`
  mutation StartRun($input: TriggerRetrainInput!) {
    triggerRetrain(input: $input) {
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

export function StartRunForm({ recipes }: { recipes: readonly string[] }) {
  const [mode, setMode] = useState<TrainingMode>('FULL');
  const [chosen, setChosen] = useState<Set<string>>(() => new Set(recipes));
  const [syncFirst, setSyncFirst] = useState(false);
  const [result, start] = useMutation(StartRun);
  const navigate = useNavigate();

  const submit = (e: SyntheticEvent<HTMLFormElement>) => {
    e.preventDefault();
    void start({ input: { mode, recipes: [...chosen], syncFirst } }).then((r) => {
      const id = r.data?.triggerRetrain.run?.id;
      if (id) void navigate(`/runs/${id}`);
    });
  };

  return (
    <form className="card" onSubmit={submit} aria-labelledby="start-run-title">
      <h2 id="start-run-title">Start a run</h2>
      <fieldset>
        <legend>Mode</legend>
        {(['FULL', 'UPDATE'] as const).map((m) => (
          <label key={m} className="inline">
            <input
              type="radio"
              name="mode"
              value={m}
              checked={mode === m}
              onChange={() => {
                setMode(m);
              }}
            />
            {m === 'FULL' ? 'FULL (retrain from scratch)' : 'UPDATE (new data only)'}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>Recipes</legend>
        {recipes.map((r) => (
          <label key={r} className="inline">
            <input
              type="checkbox"
              checked={chosen.has(r)}
              onChange={(e) => {
                const next = new Set(chosen);
                if (e.target.checked) next.add(r);
                else next.delete(r);
                setChosen(next);
              }}
            />
            {r}
          </label>
        ))}
      </fieldset>
      <label className="inline">
        <input
          type="checkbox"
          checked={syncFirst}
          onChange={(e) => {
            setSyncFirst(e.target.checked);
          }}
        />
        Sync orders from the store first
      </label>
      <div>
        <button type="submit" disabled={result.fetching || chosen.size === 0}>
          {result.fetching ? 'Starting…' : 'Start run'}
        </button>
      </div>
      {result.error && <ErrorMessage error={result.error} prefix="The run was not started" />}
      {result.data && <UserErrors errors={result.data.triggerRetrain.userErrors} />}
    </form>
  );
}
