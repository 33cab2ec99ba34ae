// The one way a run fails: the stage runner (a stage's last attempt), the stuck-run sweep (a
// stage with no live job) and startRun (its first job could not be queued) all come here, so
// every failed run carries "<stage>: <reason>" and a pipeline_failed alert.
import { raiseAlert } from '../alerts/alert-store';
import type { Database } from '../db/database';
import type { StageName } from '../queues/registry';
import type { RunStore } from './run-store';

export async function failRun(
  deps: { db: Database; runs: RunStore },
  runId: number,
  stage: StageName,
  message: string,
): Promise<boolean> {
  // The alert first (raising it again only refreshes it): whoever sees the run failed must also
  // find its alert, and a crash between the two writes must not leave a failed run unalerted.
  await raiseAlert(deps.db, {
    kind: 'pipeline_failed',
    severity: 'critical',
    message: `pipeline run ${runId} failed in ${stage}: ${message}`,
    runId,
    details: { stage },
  });
  return deps.runs.setStatus(runId, 'failed', `${stage}: ${message}`);
}
