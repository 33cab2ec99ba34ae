// The experiments page: its slot in the navigation is kept for the experiments issue, which adds
// the list, the form to create one, and results with intervals here.
export default function ExperimentsPage() {
  return (
    <section>
      <h1>Experiments</h1>
      <p>
        A/B experiments (for example 80% batch recommendations against 20% popular fallback, measured by conversion,
        click-through and revenue) will be listed and created here, with their results and confidence intervals.
      </p>
      <p className="hint">
        Not shown here yet: the API has them (`experiments`, `createExperiment`; see docs/gateway.md), this page will
        list them.
      </p>
    </section>
  );
}
