// Finds Personalize resources by name or type, walking every page of the List* calls.
import {
  ListDatasetGroupsCommand,
  ListDatasetsCommand,
  ListEventTrackersCommand,
  ListFiltersCommand,
  ListSchemasCommand,
  ListSolutionsCommand,
  type PersonalizeClient,
} from '@aws-sdk/client-personalize';
import { callAws, type RetryPolicy } from '../aws-sdk/aws-call';

export interface Found {
  name: string;
  arn: string;
  status?: string;
}

async function findInPages<T>(
  fetch: (nextToken?: string) => Promise<{ items: T[]; nextToken?: string }>,
  match: (item: T) => boolean,
): Promise<T | undefined> {
  let token: string | undefined;
  do {
    const page = await fetch(token);
    const hit = page.items.find(match);
    if (hit) return hit;
    token = page.nextToken;
  } while (token);
  return undefined;
}

export class PersonalizeLookup {
  constructor(
    private readonly client: PersonalizeClient,
    private readonly retry: RetryPolicy,
  ) {}

  async datasetGroup(name: string): Promise<Found | undefined> {
    const hit = await findInPages(
      async (nextToken) => {
        const r = await callAws(
          'personalize:ListDatasetGroups',
          () => this.client.send(new ListDatasetGroupsCommand({ nextToken, maxResults: 100 })),
          this.retry,
        );
        return { items: r.datasetGroups ?? [], nextToken: r.nextToken };
      },
      (g) => g.name === name,
    );
    return hit ? { name, arn: hit.datasetGroupArn as string, status: hit.status } : undefined;
  }

  async schema(name: string): Promise<Found | undefined> {
    const hit = await findInPages(
      async (nextToken) => {
        const r = await callAws(
          'personalize:ListSchemas',
          () => this.client.send(new ListSchemasCommand({ nextToken, maxResults: 100 })),
          this.retry,
        );
        return { items: r.schemas ?? [], nextToken: r.nextToken };
      },
      (s) => s.name === name,
    );
    return hit ? { name, arn: hit.schemaArn as string } : undefined;
  }

  /** A group holds at most one dataset of each type, whatever its name. */
  async dataset(datasetGroupArn: string, datasetType: string): Promise<Found | undefined> {
    const hit = await findInPages(
      async (nextToken) => {
        const r = await callAws(
          'personalize:ListDatasets',
          () => this.client.send(new ListDatasetsCommand({ datasetGroupArn, nextToken, maxResults: 100 })),
          this.retry,
        );
        return { items: r.datasets ?? [], nextToken: r.nextToken };
      },
      (d) => d.datasetType?.toLowerCase() === datasetType.toLowerCase(),
    );
    return hit ? { name: hit.name as string, arn: hit.datasetArn as string, status: hit.status } : undefined;
  }

  async filter(datasetGroupArn: string, name: string): Promise<Found | undefined> {
    const hit = await findInPages(
      async (nextToken) => {
        const r = await callAws(
          'personalize:ListFilters',
          () => this.client.send(new ListFiltersCommand({ datasetGroupArn, nextToken, maxResults: 100 })),
          this.retry,
        );
        return { items: r.Filters ?? [], nextToken: r.nextToken };
      },
      (f) => f.name === name,
    );
    return hit ? { name, arn: hit.filterArn as string, status: hit.status } : undefined;
  }

  async eventTracker(datasetGroupArn: string, name: string): Promise<Found | undefined> {
    const hit = await findInPages(
      async (nextToken) => {
        const r = await callAws(
          'personalize:ListEventTrackers',
          () => this.client.send(new ListEventTrackersCommand({ datasetGroupArn, nextToken, maxResults: 100 })),
          this.retry,
        );
        return { items: r.eventTrackers ?? [], nextToken: r.nextToken };
      },
      (t) => t.name === name,
    );
    return hit ? { name, arn: hit.eventTrackerArn as string, status: hit.status } : undefined;
  }

  async solution(datasetGroupArn: string, name: string): Promise<Found | undefined> {
    const hit = await findInPages(
      async (nextToken) => {
        const r = await callAws(
          'personalize:ListSolutions',
          () => this.client.send(new ListSolutionsCommand({ datasetGroupArn, nextToken, maxResults: 100 })),
          this.retry,
        );
        return { items: r.solutions ?? [], nextToken: r.nextToken };
      },
      (s) => s.name === name,
    );
    return hit ? { name, arn: hit.solutionArn as string, status: hit.status } : undefined;
  }
}
