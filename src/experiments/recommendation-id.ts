// A recommendationId served under an experiment names the experiment and the variant before its
// unique part: `e<experimentId>.<variantKey>.<uuid>`. An event or an order that sends it back is
// attributed to that variant with no lookup. Lists served outside experiments keep a bare uuid.
const EXPERIMENT_ID = /^e(\d{1,9})\.([a-z0-9_]{1,20})\.([0-9a-f-]{36})$/;

export function experimentIdPrefix(experimentId: number, variantKey: string): string {
  return `e${experimentId}.${variantKey}.`;
}

export function parseRecommendationId(id: string): { experimentId: number; variantKey: string } | null {
  const m = EXPERIMENT_ID.exec(id);
  return m?.[1] && m[2] ? { experimentId: Number(m[1]), variantKey: m[2] } : null;
}

/** The same pattern for SQL (`substring(... from ...)`), so attribution in PostgreSQL agrees. */
export const RECOMMENDATION_ID_SQL_PATTERN = '^e([0-9]{1,9})\\.([a-z0-9_]{1,20})\\.[0-9a-f-]{36}$';
