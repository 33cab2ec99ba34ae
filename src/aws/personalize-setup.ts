// `recs aws setup`: finds or creates, by name, the dataset group, the three schemas, the datasets,
// the exclude-purchased filter and the event tracker. Each step is idempotent: run it again and
// it only reports what exists. Without --apply it only plans.
import {
  CreateDatasetCommand,
  CreateDatasetGroupCommand,
  CreateEventTrackerCommand,
  CreateFilterCommand,
  CreateSchemaCommand,
  DescribeDatasetCommand,
  DescribeDatasetGroupCommand,
  DescribeEventTrackerCommand,
  DescribeFilterCommand,
  DescribeSchemaCommand,
  type PersonalizeClient,
} from '@aws-sdk/client-personalize';
import { callAws, DEFAULT_RETRY, type RetryPolicy } from '../aws-sdk/aws-call';
import { AwsEngineError } from '../aws-sdk/aws-engine-error';
import { DATASET_KINDS, DATASET_TYPE, names, type DatasetKind } from './personalize-names';
import { PersonalizeLookup } from './personalize-lookup';
import { EXCLUDE_PURCHASED_EXPRESSION, SCHEMAS } from './personalize-schemas';

export interface SetupStep {
  resource: 'dataset-group' | 'schema' | 'dataset' | 'filter' | 'event-tracker';
  name: string;
  action: 'exists' | 'create' | 'created';
  arn?: string;
  status?: string;
  detail?: string;
}

export interface SetupResult {
  steps: SetupStep[];
  datasetGroupArn?: string;
  trackingId?: string;
}

export interface SetupDeps {
  client: PersonalizeClient;
  datasetGroup: string;
  retry?: RetryPolicy;
  /** How long to wait for each created resource to become ACTIVE. */
  activeTimeoutMs?: number;
  pollMs?: number;
  sleep?: (ms: number) => Promise<void>;
  onStep?: (step: SetupStep) => void;
}

export async function setupPersonalize(deps: SetupDeps, apply: boolean): Promise<SetupResult> {
  const retry = deps.retry ?? DEFAULT_RETRY;
  const lookup = new PersonalizeLookup(deps.client, retry);
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const steps: SetupStep[] = [];
  const report = (s: SetupStep) => {
    steps.push(s);
    deps.onStep?.(s);
  };
  const group = deps.datasetGroup;

  // Waits for a just-created resource; Personalize refuses children of a group that is not ACTIVE.
  const waitActive = async (what: string, describe: () => Promise<{ status?: string; failureReason?: string }>) => {
    const deadline = Date.now() + (deps.activeTimeoutMs ?? 15 * 60_000);
    for (;;) {
      const { status, failureReason } = await describe();
      if (status === 'ACTIVE') return;
      if (status === 'CREATE FAILED') {
        throw new AwsEngineError('CREATE_FAILED', `${what} is CREATE FAILED: ${failureReason ?? 'no reason given'}`);
      }
      if (Date.now() > deadline)
        throw new AwsEngineError('TIMEOUT', `${what} is still ${status} after waiting; run setup again later`);
      await sleep(deps.pollMs ?? 5_000);
    }
  };

  // Dataset group.
  let groupArn = (await lookup.datasetGroup(group))?.arn;
  if (groupArn) report({ resource: 'dataset-group', name: group, action: 'exists', arn: groupArn });
  else if (!apply) report({ resource: 'dataset-group', name: group, action: 'create' });
  else {
    const created = await callAws(
      'personalize:CreateDatasetGroup',
      () => deps.client.send(new CreateDatasetGroupCommand({ name: group })),
      retry,
    );
    groupArn = created.datasetGroupArn;
    await waitActive(`dataset group ${group}`, async () => {
      const d = await callAws(
        'personalize:DescribeDatasetGroup',
        () => deps.client.send(new DescribeDatasetGroupCommand({ datasetGroupArn: groupArn })),
        retry,
      );
      return { status: d.datasetGroup?.status, failureReason: d.datasetGroup?.failureReason };
    });
    report({ resource: 'dataset-group', name: group, action: 'created', arn: groupArn });
  }

  // Schemas (account-level) and datasets (inside the group).
  const schemaArns: Partial<Record<DatasetKind, string>> = {};
  for (const kind of DATASET_KINDS) {
    const name = names.schema(group, kind);
    const existing = await lookup.schema(name);
    if (existing) {
      const d = await callAws(
        'personalize:DescribeSchema',
        () => deps.client.send(new DescribeSchemaCommand({ schemaArn: existing.arn })),
        retry,
      );
      // Schemas cannot be changed in Personalize: a different one under our name must be fixed by hand.
      if (
        d.schema?.schema &&
        JSON.stringify(JSON.parse(d.schema.schema)) !== JSON.stringify(JSON.parse(SCHEMAS[kind]))
      ) {
        throw new AwsEngineError(
          'BAD_INPUT',
          `schema ${name} exists with different fields than REFERENCE.md; delete it (and its dataset) or use another PERSONALIZE_DATASET_GROUP`,
        );
      }
      schemaArns[kind] = existing.arn;
      report({ resource: 'schema', name, action: 'exists', arn: existing.arn });
    } else if (!apply) report({ resource: 'schema', name, action: 'create', detail: SCHEMAS[kind] });
    else {
      const created = await callAws(
        'personalize:CreateSchema',
        () => deps.client.send(new CreateSchemaCommand({ name, schema: SCHEMAS[kind] })),
        retry,
      );
      schemaArns[kind] = created.schemaArn;
      report({ resource: 'schema', name, action: 'created', arn: created.schemaArn });
    }
  }
  for (const kind of DATASET_KINDS) {
    const name = names.dataset(group, kind);
    const existing = groupArn ? await lookup.dataset(groupArn, DATASET_TYPE[kind]) : undefined;
    if (existing) report({ resource: 'dataset', name: existing.name, action: 'exists', arn: existing.arn });
    else if (!apply || !groupArn) report({ resource: 'dataset', name, action: 'create', detail: DATASET_TYPE[kind] });
    else {
      const created = await callAws(
        'personalize:CreateDataset',
        () =>
          deps.client.send(
            new CreateDatasetCommand({
              name,
              datasetGroupArn: groupArn,
              datasetType: DATASET_TYPE[kind],
              schemaArn: schemaArns[kind],
            }),
          ),
        retry,
      );
      const arn = created.datasetArn as string;
      await waitActive(`dataset ${name}`, async () => {
        const d = await callAws(
          'personalize:DescribeDataset',
          () => deps.client.send(new DescribeDatasetCommand({ datasetArn: arn })),
          retry,
        );
        return { status: d.dataset?.status };
      });
      report({ resource: 'dataset', name, action: 'created', arn });
    }
  }

  // The exclude-purchased filter used by user-personalization batch jobs (EXCLUDE_PURCHASED).
  const filterName = names.excludePurchasedFilter(group);
  const filter = groupArn ? await lookup.filter(groupArn, filterName) : undefined;
  if (filter) report({ resource: 'filter', name: filterName, action: 'exists', arn: filter.arn });
  else if (!apply || !groupArn)
    report({ resource: 'filter', name: filterName, action: 'create', detail: EXCLUDE_PURCHASED_EXPRESSION });
  else {
    const created = await callAws(
      'personalize:CreateFilter',
      () =>
        deps.client.send(
          new CreateFilterCommand({
            name: filterName,
            datasetGroupArn: groupArn,
            filterExpression: EXCLUDE_PURCHASED_EXPRESSION,
          }),
        ),
      retry,
    );
    const arn = created.filterArn as string;
    await waitActive(`filter ${filterName}`, async () => {
      const d = await callAws(
        'personalize:DescribeFilter',
        () => deps.client.send(new DescribeFilterCommand({ filterArn: arn })),
        retry,
      );
      return { status: d.filter?.status, failureReason: d.filter?.failureReason };
    });
    report({ resource: 'filter', name: filterName, action: 'created', arn });
  }

  // Event tracker: its tracking id is what PERSONALIZE_TRACKING_ID must be set to.
  const trackerName = names.eventTracker(group);
  const tracker = groupArn ? await lookup.eventTracker(groupArn, trackerName) : undefined;
  let trackingId: string | undefined;
  if (tracker) {
    const d = await callAws(
      'personalize:DescribeEventTracker',
      () => deps.client.send(new DescribeEventTrackerCommand({ eventTrackerArn: tracker.arn })),
      retry,
    );
    trackingId = d.eventTracker?.trackingId;
    report({ resource: 'event-tracker', name: trackerName, action: 'exists', arn: tracker.arn, detail: trackingId });
  } else if (!apply || !groupArn) report({ resource: 'event-tracker', name: trackerName, action: 'create' });
  else {
    const created = await callAws(
      'personalize:CreateEventTracker',
      () => deps.client.send(new CreateEventTrackerCommand({ name: trackerName, datasetGroupArn: groupArn })),
      retry,
    );
    trackingId = created.trackingId;
    report({
      resource: 'event-tracker',
      name: trackerName,
      action: 'created',
      arn: created.eventTrackerArn,
      detail: trackingId,
    });
  }
  return { steps, datasetGroupArn: groupArn, trackingId };
}
