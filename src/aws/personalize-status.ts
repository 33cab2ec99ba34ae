// Personalize's statuses in batch_job_metadata's vocabulary (src/engine/job-metadata.ts).
export function normalizeStatus(status: string | undefined): string {
  return (status ?? 'UNKNOWN').replace(/^CREATE /, '').replace(/\s+/g, '_');
}
