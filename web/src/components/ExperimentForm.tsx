// Create an experiment (admin): name, surfaces, 2-5 variants with their shares and strategies (a
// holdout is a variant with the HOLDOUT strategy), which one is the control. The API checks it
// all (shares adding up to 100, keys, a FILTER's filter); its userErrors are shown as given.
import { useState, type SyntheticEvent } from 'react';
import { useNavigate } from 'react-router';
import { useMutation } from 'urql';
import { graphql } from '../graphql/__generated__';
import type { ExperimentSurface, StrategyKind } from '../graphql/__generated__/graphql';
import { ErrorMessage, UserErrors } from './ErrorMessage';

const CreateExperiment = graphql(`
  mutation CreateExperiment($input: CreateExperimentInput!) {
    createExperiment(input: $input) {
      experiment {
        id
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`);

const SURFACES: readonly { value: ExperimentSurface; label: string }[] = [
  { value: 'RECOMMENDATIONS', label: 'Recommendations' },
  { value: 'SIMILAR_ITEMS', label: 'Similar items' },
  { value: 'RANK_ITEMS', label: 'Rank items' },
  { value: 'REST', label: 'Old REST API' },
];
const STRATEGIES: readonly StrategyKind[] = ['BATCH', 'POPULAR', 'FILTER', 'HOLDOUT'];

interface VariantRow {
  key: string;
  name: string;
  share: number;
  strategy: StrategyKind;
}

const START: VariantRow[] = [
  { key: 'batch', name: 'Batch', share: 80, strategy: 'BATCH' },
  { key: 'popular', name: 'Popular', share: 20, strategy: 'POPULAR' },
];

export function ExperimentForm() {
  const [name, setName] = useState('');
  const [surfaces, setSurfaces] = useState<Set<ExperimentSurface>>(() => new Set(['RECOMMENDATIONS']));
  const [variants, setVariants] = useState<VariantRow[]>(START);
  const [control, setControl] = useState(0);
  const [result, create] = useMutation(CreateExperiment);
  const navigate = useNavigate();
  const total = variants.reduce((sum, v) => sum + v.share, 0);

  const change = (i: number, patch: Partial<VariantRow>) => {
    setVariants(variants.map((v, j) => (j === i ? { ...v, ...patch } : v)));
  };
  const submit = (e: SyntheticEvent<HTMLFormElement>) => {
    e.preventDefault();
    const input = {
      name,
      surfaces: [...surfaces],
      controlKey: variants[control]?.key ?? '',
      variants: variants.map((v) => ({
        ...v,
        ...(v.strategy === 'FILTER' ? { filter: { excludeInteracted: true } } : {}),
      })),
    };
    void create({ input }).then((r) => {
      const id = r.data?.createExperiment.experiment?.id;
      if (id) void navigate(`/experiments/${id}`);
    });
  };

  return (
    <form className="card" onSubmit={submit} aria-labelledby="new-experiment-title">
      <h2 id="new-experiment-title">New experiment</h2>
      <label>
        Experiment name{' '}
        <input
          value={name}
          required
          maxLength={200}
          onChange={(e) => {
            setName(e.target.value);
          }}
        />
      </label>
      <fieldset>
        <legend>Surfaces</legend>
        {SURFACES.map((s) => (
          <label key={s.value} className="inline">
            <input
              type="checkbox"
              checked={surfaces.has(s.value)}
              onChange={(e) => {
                const next = new Set(surfaces);
                if (e.target.checked) next.add(s.value);
                else next.delete(s.value);
                setSurfaces(next);
              }}
            />
            {s.label}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>Variants (shares add up to 100; now {total})</legend>
        {variants.map((v, i) => (
          <div key={i} className="inline-form" role="group" aria-label={`Variant ${i + 1}`}>
            <label>
              Key{' '}
              <input
                value={v.key}
                size={10}
                pattern="[a-z0-9_]{1,20}"
                required
                onChange={(e) => {
                  change(i, { key: e.target.value });
                }}
              />
            </label>
            <label>
              Name{' '}
              <input
                value={v.name}
                size={12}
                required
                onChange={(e) => {
                  change(i, { name: e.target.value });
                }}
              />
            </label>
            <label>
              Share %{' '}
              <input
                type="number"
                min={1}
                max={99}
                value={v.share}
                onChange={(e) => {
                  change(i, { share: Number(e.target.value) });
                }}
              />
            </label>
            <label>
              Strategy{' '}
              <select
                value={v.strategy}
                onChange={(e) => {
                  change(i, { strategy: e.target.value as StrategyKind });
                }}
              >
                {STRATEGIES.map((s) => (
                  <option key={s} value={s}>
                    {s === 'FILTER' ? 'FILTER (leave out what they bought)' : s}
                  </option>
                ))}
              </select>
            </label>
            <label className="inline">
              <input
                type="radio"
                name="control"
                checked={control === i}
                onChange={() => {
                  setControl(i);
                }}
              />
              Control
            </label>
            {variants.length > 2 && (
              <button
                type="button"
                onClick={() => {
                  setVariants(variants.filter((_, j) => j !== i));
                  setControl(control >= i && control > 0 ? control - 1 : control);
                }}
              >
                Remove variant {i + 1}
              </button>
            )}
          </div>
        ))}
        {variants.length < 5 && (
          <button
            type="button"
            onClick={() => {
              setVariants([
                ...variants,
                { key: `v${variants.length + 1}`, name: 'Holdout', share: 0, strategy: 'HOLDOUT' },
              ]);
            }}
          >
            Add a variant
          </button>
        )}
      </fieldset>
      <div>
        <button type="submit" disabled={result.fetching || !name.trim() || surfaces.size === 0}>
          {result.fetching ? 'Creating…' : 'Create experiment'}
        </button>
      </div>
      {result.error && <ErrorMessage error={result.error} prefix="The experiment was not created" />}
      {result.data && <UserErrors errors={result.data.createExperiment.userErrors} />}
    </form>
  );
}
