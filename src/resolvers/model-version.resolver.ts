// The ModelVersion type: a model_versions row, its metrics map as a Count list.
import type { ModelVersionResolvers } from './__generated__/resolvers-types';
import { counts, iso } from './field-formats';

export const ModelVersion: ModelVersionResolvers = {
  id: (m) => String(m.id),
  runId: (m) => (m.runId == null ? null : String(m.runId)),
  trainedAt: (m) => iso(m.trainedAt),
  metrics: (m) => counts(m.metrics),
};
