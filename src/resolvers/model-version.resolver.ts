// The ModelVersion type: a model_versions row, its metrics map as a Count list, its tuning record.
import type { ModelVersionResolvers } from './__generated__/resolvers-types';
import { engineTuningOf } from './engine-tuning';
import { counts } from './field-formats';

export const ModelVersion: ModelVersionResolvers = {
  id: (m) => String(m.id),
  runId: (m) => (m.runId == null ? null : String(m.runId)),
  metrics: (m) => counts(m.metrics),
  tuning: (m) => engineTuningOf(m.tuning, m.runId),
  parameters: (m) =>
    Object.entries(m.params)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, value]) => ({ name, value: JSON.stringify(value) })),
};
