// Model versions: offline metrics (AWS Personalize's names) and parameters per version, each
// metric plotted over the versions of a recipe, and two versions side by side.
import { useMemo, useState } from 'react';
import { useQuery } from 'urql';
import { ErrorMessage } from '../components/ErrorMessage';
import { dateTime, number } from '../components/format';
import { LineChart, type Series } from '../components/LineChart';
import { graphql } from '../graphql/__generated__';
import type { ModelsQuery } from '../graphql/__generated__/graphql';
import { TableWrap } from '../components/TableWrap';
import { DataTable, type Column } from '../components/DataTable';

const Models = graphql(`
  query Models {
    modelVersions(first: 100) {
      id
      recipe
      engine
      status
      runId
      trainedAt
      metrics {
        name
        value
      }
      parameters {
        name
        value
      }
    }
  }
`);

type Version = ModelsQuery['modelVersions'][number];
const COLOURS = ['#2f7bd8', '#d8782f', '#2fa36b', '#b23bb2', '#c9302c', '#7a7a00', '#00838f', '#5d4037'];

const VERSION_COLUMNS: readonly Column<Version>[] = [
  { header: 'Version', cell: (v) => `#${v.id}` },
  { header: 'Recipe', cell: (v) => v.recipe },
  { header: 'Run', cell: (v) => v.runId ?? '—' },
  { header: 'Trained', cell: (v) => dateTime(v.trainedAt) },
  {
    header: 'Metrics',
    cell: (v) => v.metrics.map((m) => `${m.name} ${number(m.value, 4)}`).join(', ') || '—',
    wrap: true,
  },
];

function metric(v: Version | undefined, name: string): number | undefined {
  return v?.metrics.find((m) => m.name === name)?.value;
}

export default function ModelsPage() {
  const [{ data, error }] = useQuery({ query: Models });
  const versions = useMemo(() => data?.modelVersions ?? [], [data]);
  const recipes = useMemo(() => [...new Set(versions.map((v) => v.recipe))].sort(), [versions]);
  const [picked, setRecipe] = useState<string | null>(null);
  const recipe = picked ?? recipes.find((r) => r === 'user-personalization') ?? recipes[0] ?? null;
  const ofRecipe = useMemo(() => versions.filter((v) => v.recipe === recipe).reverse(), [versions, recipe]);
  const metricNames = useMemo(
    () => [...new Set(ofRecipe.flatMap((v) => v.metrics.map((m) => m.name)))].sort(),
    [ofRecipe],
  );
  const series: Series[] = useMemo(
    () =>
      metricNames.map((name, i) => ({
        label: name,
        values: ofRecipe.map((v) => metric(v, name) ?? null),
        colour: COLOURS[i % COLOURS.length] ?? '#2f7bd8',
      })),
    [metricNames, ofRecipe],
  );
  const x = useMemo(() => ofRecipe.map((v) => Number(v.id)), [ofRecipe]);
  const [leftId, setLeft] = useState<string | null>(null);
  const [rightId, setRight] = useState<string | null>(null);
  const left = versions.find((v) => v.id === (leftId ?? ofRecipe.at(-2)?.id));
  const right = versions.find((v) => v.id === (rightId ?? ofRecipe.at(-1)?.id));

  if (error) return <ErrorMessage error={error} prefix="Model versions could not be loaded" />;
  if (!data) return <p>Loading…</p>;
  if (!versions.length) return <p>No model versions yet: a pipeline run trains them.</p>;
  const compareNames = [...new Set([...(left?.metrics ?? []), ...(right?.metrics ?? [])].map((m) => m.name))].sort();
  const paramNames = [
    ...new Set([...(left?.parameters ?? []), ...(right?.parameters ?? [])].map((m) => m.name)),
  ].sort();
  const param = (v: Version | undefined, n: string) => v?.parameters.find((p) => p.name === n)?.value ?? '—';

  return (
    <section>
      <h1>Models</h1>
      <label>
        Recipe{' '}
        <select
          value={recipe ?? ''}
          onChange={(e) => {
            setRecipe(e.target.value);
            setLeft(null);
            setRight(null);
          }}
        >
          {recipes.map((r) => (
            <option key={r}>{r}</option>
          ))}
        </select>
      </label>
      {metricNames.length > 0 && ofRecipe.length > 0 ? (
        <LineChart
          title={`${recipe ?? ''}: metrics by model version`}
          x={x}
          series={series}
          time={false}
          height={240}
        />
      ) : (
        <p>No metrics yet for {recipe}: the evaluate stage adds them.</p>
      )}

      <h2>Side by side</h2>
      <div className="inline-form">
        <VersionSelect label="Version A" versions={versions} value={left} onChange={setLeft} />
        <VersionSelect label="Version B" versions={versions} value={right} onChange={setRight} />
      </div>
      <TableWrap label="Two model versions compared">
        <table>
          <caption className="visually-hidden">Two model versions compared</caption>
          <thead>
            <tr>
              <th scope="col">Figure</th>
              <th scope="col">A: #{left?.id ?? '—'}</th>
              <th scope="col">B: #{right?.id ?? '—'}</th>
              <th scope="col">B − A</th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <th scope="row">trained</th>
              <td>{dateTime(left?.trainedAt)}</td>
              <td>{dateTime(right?.trainedAt)}</td>
              <td />
            </tr>
            {compareNames.map((n) => {
              const a = metric(left, n);
              const b = metric(right, n);
              return (
                <tr key={n}>
                  <th scope="row">{n}</th>
                  <td>{a == null ? '—' : number(a, 4)}</td>
                  <td>{b == null ? '—' : number(b, 4)}</td>
                  <td>{a == null || b == null ? '' : `${b - a >= 0 ? '+' : ''}${number(b - a, 4)}`}</td>
                </tr>
              );
            })}
            {paramNames.map((n) => (
              <tr key={`p:${n}`}>
                <th scope="row">param {n}</th>
                <td className="wrap">{param(left, n)}</td>
                <td className="wrap">{param(right, n)}</td>
                <td />
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>

      <h2>All versions</h2>
      <DataTable
        caption="Every model version, newest first"
        captionHidden
        rows={versions}
        rowKey={(v) => v.id}
        columns={VERSION_COLUMNS}
        empty="No model versions yet."
      />
    </section>
  );
}

function VersionSelect(props: {
  label: string;
  versions: readonly Version[];
  value: Version | undefined;
  onChange: (id: string) => void;
}) {
  return (
    <label>
      {props.label}{' '}
      <select
        value={props.value?.id ?? ''}
        onChange={(e) => {
          props.onChange(e.target.value);
        }}
      >
        {props.versions.map((o) => (
          <option key={o.id} value={o.id}>
            #{o.id} {o.recipe} (run {o.runId ?? '—'})
          </option>
        ))}
      </select>
    </label>
  );
}
