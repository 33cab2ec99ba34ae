/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query ApiKeys {\n    apiKeys {\n      id\n      name\n      role\n      prefix\n      createdAt\n      revokedAt\n      lastUsedAt\n    }\n  }\n": typeof types.ApiKeysDocument,
    "\n  mutation CreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) {\n      apiKey {\n        id\n        name\n        role\n        prefix\n      }\n      secret\n      userErrors {\n        field\n        message\n        code\n      }\n    }\n  }\n": typeof types.CreateApiKeyDocument,
    "\n  mutation RevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id) {\n      apiKey {\n        id\n        revokedAt\n      }\n      userErrors {\n        field\n        message\n        code\n      }\n    }\n  }\n": typeof types.RevokeApiKeyDocument,
    "\n  mutation CreateExperiment($input: CreateExperimentInput!) {\n    createExperiment(input: $input) {\n      experiment {\n        id\n      }\n      userErrors {\n        field\n        message\n        code\n      }\n    }\n  }\n": typeof types.CreateExperimentDocument,
    "\n  fragment RecommendationRow on RecommendationItem {\n    rank\n    score\n    source\n    reason {\n      kind\n      productIds\n      text\n    }\n    product {\n      id\n      name\n      category\n      price\n    }\n  }\n": typeof types.RecommendationRowFragmentDoc,
    "\n  fragment RunSummary on PipelineRun {\n    id\n    mode\n    status\n    trigger\n    engine\n    recipes\n    error\n    createdAt\n    finishedAt\n    durationMs\n  }\n": typeof types.RunSummaryFragmentDoc,
    "\n  query CronPreview($cron: String!) {\n    cronPreview(cron: $cron, count: 3) {\n      valid\n      error\n      nextFires\n    }\n  }\n": typeof types.CronPreviewDocument,
    "\n  mutation SetSchedule($name: String!, $cron: String!) {\n    setSchedule(name: $name, cron: $cron) {\n      schedule {\n        name\n        cron\n        enabled\n        nextFires(count: 3)\n      }\n      userErrors {\n        field\n        message\n        code\n      }\n    }\n  }\n": typeof types.SetScheduleDocument,
    "\n  mutation StartRun($input: TriggerRetrainInput!) {\n    triggerRetrain(input: $input) {\n      run {\n        id\n        status\n      }\n      userErrors {\n        field\n        message\n        code\n      }\n    }\n  }\n": typeof types.StartRunDocument,
    "\n  query CustomerPage($id: ID!, $filter: RecommendationFilter) {\n    customer(id: $id) {\n      id\n      city\n      province\n      orderCount\n      totalSpend\n      hasRecommendations\n      orders(first: 10) {\n        id\n        orderedAt\n        status\n        source\n        lines {\n          product {\n            id\n            name\n          }\n          quantity\n          unitPrice\n          eventType\n        }\n      }\n      events(first: 10) {\n        eventId\n        eventType\n        eventValue\n        occurredAt\n        source\n        product {\n          id\n          name\n        }\n      }\n    }\n    plain: recommendations(userId: $id, limit: 10) {\n      items {\n        product {\n          id\n        }\n      }\n    }\n    filtered: recommendations(userId: $id, limit: 10, filter: $filter) {\n      source\n      filled\n      modelVersion\n      batchVersion\n      items {\n        ...RecommendationRow\n      }\n    }\n  }\n": typeof types.CustomerPageDocument,
    "\n  query NewVisitor {\n    recommendations(userId: \"dashboard:new-visitor\", limit: 10) {\n      source\n      items {\n        ...RecommendationRow\n      }\n    }\n  }\n": typeof types.NewVisitorDocument,
    "\n  query ExperimentPage($id: ID!) {\n    experiment(id: $id) {\n      id\n      name\n      description\n      status\n      surfaces\n      controlKey\n      shippedVariant\n      attributionWindowDays\n      variants {\n        key\n        name\n        share\n        isControl\n        strategy {\n          kind\n        }\n      }\n      history {\n        action\n        toStatus\n        note\n        at\n      }\n      results {\n        summary\n        csv\n        guardrails {\n          variant\n          metric\n          state\n        }\n        variants {\n          key\n          name\n          isControl\n          customers\n          exposures\n          clicks\n          conversions\n          revenue\n          metrics {\n            metric\n            value\n            interval {\n              low\n              high\n            }\n            vsControl {\n              lift\n              liftInterval {\n                low\n                high\n              }\n              direction\n            }\n          }\n        }\n      }\n    }\n  }\n": typeof types.ExperimentPageDocument,
    "\n  mutation StartExperiment($id: ID!) {\n    startExperiment(id: $id) {\n      ...ExperimentMove\n    }\n  }\n": typeof types.StartExperimentDocument,
    "\n  mutation PauseExperiment($id: ID!) {\n    pauseExperiment(id: $id) {\n      ...ExperimentMove\n    }\n  }\n": typeof types.PauseExperimentDocument,
    "\n  mutation ResumeExperiment($id: ID!) {\n    resumeExperiment(id: $id) {\n      ...ExperimentMove\n    }\n  }\n": typeof types.ResumeExperimentDocument,
    "\n  mutation StopExperiment($id: ID!) {\n    stopExperiment(id: $id) {\n      ...ExperimentMove\n    }\n  }\n": typeof types.StopExperimentDocument,
    "\n  mutation ShipExperiment($id: ID!, $variant: String!, $force: Boolean!) {\n    shipExperiment(id: $id, variant: $variant, force: $force) {\n      ...ExperimentMove\n    }\n  }\n": typeof types.ShipExperimentDocument,
    "\n  fragment ExperimentMove on ExperimentPayload {\n    experiment {\n      id\n      status\n    }\n    userErrors {\n      field\n      message\n      code\n    }\n  }\n": typeof types.ExperimentMoveFragmentDoc,
    "\n  query Experiments {\n    experiments(first: 100) {\n      id\n      name\n      status\n      surfaces\n      startedAt\n      createdAt\n      shippedVariant\n      variants {\n        key\n        share\n      }\n    }\n  }\n": typeof types.ExperimentsDocument,
    "\n  query Models {\n    modelVersions(first: 100) {\n      id\n      recipe\n      engine\n      status\n      runId\n      trainedAt\n      metrics {\n        name\n        value\n      }\n      parameters {\n        name\n        value\n      }\n    }\n  }\n": typeof types.ModelsDocument,
    "\n  query Overview($days: Int!) {\n    systemStatus {\n      coverage\n      freshnessDays\n      customersWithRecommendations\n      orderingCustomers\n      productsWithSimilarItems\n      batchVersion\n      engine\n      redisAvailable\n      activeAlerts {\n        id\n        kind\n        severity\n        message\n        raisedAt\n      }\n      schedules {\n        name\n        cron\n        enabled\n        nextFires(count: 2)\n      }\n    }\n    pipelineRuns(first: 5) {\n      edges {\n        node {\n          ...RunSummary\n        }\n      }\n    }\n    healthHistory(days: $days) {\n      takenAt\n      coverage\n      freshnessDays\n    }\n  }\n": typeof types.OverviewDocument,
    "\n  query ProductPage($id: ID!) {\n    product(id: $id) {\n      id\n      name\n      category\n      price\n      orderCount\n      unitsSold\n      revenue\n      popularity {\n        scope\n        scopeValue\n        rank\n        score\n      }\n    }\n    similarItems(productId: $id, limit: 10) {\n      source\n      items {\n        ...RecommendationRow\n      }\n    }\n    usersForItem(productId: $id, limit: 10) {\n      users {\n        userId\n        score\n        rank\n      }\n    }\n  }\n": typeof types.ProductPageDocument,
    "\n  fragment RunDetail on PipelineRun {\n    ...RunSummary\n    startedAt\n    stages {\n      name\n      status\n      progress\n      message\n      startedAt\n      finishedAt\n      durationMs\n      attempts\n      counts {\n        name\n        value\n      }\n      error\n    }\n  }\n": typeof types.RunDetailFragmentDoc,
    "\n  query RunPage($id: ID!) {\n    pipelineRun(id: $id) {\n      ...RunDetail\n    }\n  }\n": typeof types.RunPageDocument,
    "\n  subscription RunProgress($id: ID!) {\n    runProgress(id: $id) {\n      ...RunDetail\n    }\n  }\n": typeof types.RunProgressDocument,
    "\n  mutation CancelRun($id: ID!) {\n    cancelPipelineRun(id: $id) {\n      run {\n        id\n        status\n      }\n      userErrors {\n        field\n        message\n        code\n      }\n    }\n  }\n": typeof types.CancelRunDocument,
    "\n  query Runs($first: Int!, $after: String) {\n    pipelineRuns(first: $first, after: $after) {\n      edges {\n        node {\n          ...RunSummary\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n    systemStatus {\n      recipes\n    }\n  }\n": typeof types.RunsDocument,
    "\n  query Schedules {\n    systemStatus {\n      schedules {\n        name\n        cron\n        enabled\n        nextFires(count: 3)\n      }\n    }\n  }\n": typeof types.SchedulesDocument,
    "\n  mutation InvalidateCache {\n    invalidateCache {\n      removedKeys\n    }\n  }\n": typeof types.InvalidateCacheDocument,
};
const documents: Documents = {
    "\n  query ApiKeys {\n    apiKeys {\n      id\n      name\n      role\n      prefix\n      createdAt\n      revokedAt\n      lastUsedAt\n    }\n  }\n": types.ApiKeysDocument,
    "\n  mutation CreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) {\n      apiKey {\n        id\n        name\n        role\n        prefix\n      }\n      secret\n      userErrors {\n        field\n        message\n        code\n      }\n    }\n  }\n": types.CreateApiKeyDocument,
    "\n  mutation RevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id) {\n      apiKey {\n        id\n        revokedAt\n      }\n      userErrors {\n        field\n        message\n        code\n      }\n    }\n  }\n": types.RevokeApiKeyDocument,
    "\n  mutation CreateExperiment($input: CreateExperimentInput!) {\n    createExperiment(input: $input) {\n      experiment {\n        id\n      }\n      userErrors {\n        field\n        message\n        code\n      }\n    }\n  }\n": types.CreateExperimentDocument,
    "\n  fragment RecommendationRow on RecommendationItem {\n    rank\n    score\n    source\n    reason {\n      kind\n      productIds\n      text\n    }\n    product {\n      id\n      name\n      category\n      price\n    }\n  }\n": types.RecommendationRowFragmentDoc,
    "\n  fragment RunSummary on PipelineRun {\n    id\n    mode\n    status\n    trigger\n    engine\n    recipes\n    error\n    createdAt\n    finishedAt\n    durationMs\n  }\n": types.RunSummaryFragmentDoc,
    "\n  query CronPreview($cron: String!) {\n    cronPreview(cron: $cron, count: 3) {\n      valid\n      error\n      nextFires\n    }\n  }\n": types.CronPreviewDocument,
    "\n  mutation SetSchedule($name: String!, $cron: String!) {\n    setSchedule(name: $name, cron: $cron) {\n      schedule {\n        name\n        cron\n        enabled\n        nextFires(count: 3)\n      }\n      userErrors {\n        field\n        message\n        code\n      }\n    }\n  }\n": types.SetScheduleDocument,
    "\n  mutation StartRun($input: TriggerRetrainInput!) {\n    triggerRetrain(input: $input) {\n      run {\n        id\n        status\n      }\n      userErrors {\n        field\n        message\n        code\n      }\n    }\n  }\n": types.StartRunDocument,
    "\n  query CustomerPage($id: ID!, $filter: RecommendationFilter) {\n    customer(id: $id) {\n      id\n      city\n      province\n      orderCount\n      totalSpend\n      hasRecommendations\n      orders(first: 10) {\n        id\n        orderedAt\n        status\n        source\n        lines {\n          product {\n            id\n            name\n          }\n          quantity\n          unitPrice\n          eventType\n        }\n      }\n      events(first: 10) {\n        eventId\n        eventType\n        eventValue\n        occurredAt\n        source\n        product {\n          id\n          name\n        }\n      }\n    }\n    plain: recommendations(userId: $id, limit: 10) {\n      items {\n        product {\n          id\n        }\n      }\n    }\n    filtered: recommendations(userId: $id, limit: 10, filter: $filter) {\n      source\n      filled\n      modelVersion\n      batchVersion\n      items {\n        ...RecommendationRow\n      }\n    }\n  }\n": types.CustomerPageDocument,
    "\n  query NewVisitor {\n    recommendations(userId: \"dashboard:new-visitor\", limit: 10) {\n      source\n      items {\n        ...RecommendationRow\n      }\n    }\n  }\n": types.NewVisitorDocument,
    "\n  query ExperimentPage($id: ID!) {\n    experiment(id: $id) {\n      id\n      name\n      description\n      status\n      surfaces\n      controlKey\n      shippedVariant\n      attributionWindowDays\n      variants {\n        key\n        name\n        share\n        isControl\n        strategy {\n          kind\n        }\n      }\n      history {\n        action\n        toStatus\n        note\n        at\n      }\n      results {\n        summary\n        csv\n        guardrails {\n          variant\n          metric\n          state\n        }\n        variants {\n          key\n          name\n          isControl\n          customers\n          exposures\n          clicks\n          conversions\n          revenue\n          metrics {\n            metric\n            value\n            interval {\n              low\n              high\n            }\n            vsControl {\n              lift\n              liftInterval {\n                low\n                high\n              }\n              direction\n            }\n          }\n        }\n      }\n    }\n  }\n": types.ExperimentPageDocument,
    "\n  mutation StartExperiment($id: ID!) {\n    startExperiment(id: $id) {\n      ...ExperimentMove\n    }\n  }\n": types.StartExperimentDocument,
    "\n  mutation PauseExperiment($id: ID!) {\n    pauseExperiment(id: $id) {\n      ...ExperimentMove\n    }\n  }\n": types.PauseExperimentDocument,
    "\n  mutation ResumeExperiment($id: ID!) {\n    resumeExperiment(id: $id) {\n      ...ExperimentMove\n    }\n  }\n": types.ResumeExperimentDocument,
    "\n  mutation StopExperiment($id: ID!) {\n    stopExperiment(id: $id) {\n      ...ExperimentMove\n    }\n  }\n": types.StopExperimentDocument,
    "\n  mutation ShipExperiment($id: ID!, $variant: String!, $force: Boolean!) {\n    shipExperiment(id: $id, variant: $variant, force: $force) {\n      ...ExperimentMove\n    }\n  }\n": types.ShipExperimentDocument,
    "\n  fragment ExperimentMove on ExperimentPayload {\n    experiment {\n      id\n      status\n    }\n    userErrors {\n      field\n      message\n      code\n    }\n  }\n": types.ExperimentMoveFragmentDoc,
    "\n  query Experiments {\n    experiments(first: 100) {\n      id\n      name\n      status\n      surfaces\n      startedAt\n      createdAt\n      shippedVariant\n      variants {\n        key\n        share\n      }\n    }\n  }\n": types.ExperimentsDocument,
    "\n  query Models {\n    modelVersions(first: 100) {\n      id\n      recipe\n      engine\n      status\n      runId\n      trainedAt\n      metrics {\n        name\n        value\n      }\n      parameters {\n        name\n        value\n      }\n    }\n  }\n": types.ModelsDocument,
    "\n  query Overview($days: Int!) {\n    systemStatus {\n      coverage\n      freshnessDays\n      customersWithRecommendations\n      orderingCustomers\n      productsWithSimilarItems\n      batchVersion\n      engine\n      redisAvailable\n      activeAlerts {\n        id\n        kind\n        severity\n        message\n        raisedAt\n      }\n      schedules {\n        name\n        cron\n        enabled\n        nextFires(count: 2)\n      }\n    }\n    pipelineRuns(first: 5) {\n      edges {\n        node {\n          ...RunSummary\n        }\n      }\n    }\n    healthHistory(days: $days) {\n      takenAt\n      coverage\n      freshnessDays\n    }\n  }\n": types.OverviewDocument,
    "\n  query ProductPage($id: ID!) {\n    product(id: $id) {\n      id\n      name\n      category\n      price\n      orderCount\n      unitsSold\n      revenue\n      popularity {\n        scope\n        scopeValue\n        rank\n        score\n      }\n    }\n    similarItems(productId: $id, limit: 10) {\n      source\n      items {\n        ...RecommendationRow\n      }\n    }\n    usersForItem(productId: $id, limit: 10) {\n      users {\n        userId\n        score\n        rank\n      }\n    }\n  }\n": types.ProductPageDocument,
    "\n  fragment RunDetail on PipelineRun {\n    ...RunSummary\n    startedAt\n    stages {\n      name\n      status\n      progress\n      message\n      startedAt\n      finishedAt\n      durationMs\n      attempts\n      counts {\n        name\n        value\n      }\n      error\n    }\n  }\n": types.RunDetailFragmentDoc,
    "\n  query RunPage($id: ID!) {\n    pipelineRun(id: $id) {\n      ...RunDetail\n    }\n  }\n": types.RunPageDocument,
    "\n  subscription RunProgress($id: ID!) {\n    runProgress(id: $id) {\n      ...RunDetail\n    }\n  }\n": types.RunProgressDocument,
    "\n  mutation CancelRun($id: ID!) {\n    cancelPipelineRun(id: $id) {\n      run {\n        id\n        status\n      }\n      userErrors {\n        field\n        message\n        code\n      }\n    }\n  }\n": types.CancelRunDocument,
    "\n  query Runs($first: Int!, $after: String) {\n    pipelineRuns(first: $first, after: $after) {\n      edges {\n        node {\n          ...RunSummary\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n    systemStatus {\n      recipes\n    }\n  }\n": types.RunsDocument,
    "\n  query Schedules {\n    systemStatus {\n      schedules {\n        name\n        cron\n        enabled\n        nextFires(count: 3)\n      }\n    }\n  }\n": types.SchedulesDocument,
    "\n  mutation InvalidateCache {\n    invalidateCache {\n      removedKeys\n    }\n  }\n": types.InvalidateCacheDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ApiKeys {\n    apiKeys {\n      id\n      name\n      role\n      prefix\n      createdAt\n      revokedAt\n      lastUsedAt\n    }\n  }\n"): (typeof documents)["\n  query ApiKeys {\n    apiKeys {\n      id\n      name\n      role\n      prefix\n      createdAt\n      revokedAt\n      lastUsedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) {\n      apiKey {\n        id\n        name\n        role\n        prefix\n      }\n      secret\n      userErrors {\n        field\n        message\n        code\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) {\n      apiKey {\n        id\n        name\n        role\n        prefix\n      }\n      secret\n      userErrors {\n        field\n        message\n        code\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id) {\n      apiKey {\n        id\n        revokedAt\n      }\n      userErrors {\n        field\n        message\n        code\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation RevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id) {\n      apiKey {\n        id\n        revokedAt\n      }\n      userErrors {\n        field\n        message\n        code\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateExperiment($input: CreateExperimentInput!) {\n    createExperiment(input: $input) {\n      experiment {\n        id\n      }\n      userErrors {\n        field\n        message\n        code\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateExperiment($input: CreateExperimentInput!) {\n    createExperiment(input: $input) {\n      experiment {\n        id\n      }\n      userErrors {\n        field\n        message\n        code\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment RecommendationRow on RecommendationItem {\n    rank\n    score\n    source\n    reason {\n      kind\n      productIds\n      text\n    }\n    product {\n      id\n      name\n      category\n      price\n    }\n  }\n"): (typeof documents)["\n  fragment RecommendationRow on RecommendationItem {\n    rank\n    score\n    source\n    reason {\n      kind\n      productIds\n      text\n    }\n    product {\n      id\n      name\n      category\n      price\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment RunSummary on PipelineRun {\n    id\n    mode\n    status\n    trigger\n    engine\n    recipes\n    error\n    createdAt\n    finishedAt\n    durationMs\n  }\n"): (typeof documents)["\n  fragment RunSummary on PipelineRun {\n    id\n    mode\n    status\n    trigger\n    engine\n    recipes\n    error\n    createdAt\n    finishedAt\n    durationMs\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CronPreview($cron: String!) {\n    cronPreview(cron: $cron, count: 3) {\n      valid\n      error\n      nextFires\n    }\n  }\n"): (typeof documents)["\n  query CronPreview($cron: String!) {\n    cronPreview(cron: $cron, count: 3) {\n      valid\n      error\n      nextFires\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetSchedule($name: String!, $cron: String!) {\n    setSchedule(name: $name, cron: $cron) {\n      schedule {\n        name\n        cron\n        enabled\n        nextFires(count: 3)\n      }\n      userErrors {\n        field\n        message\n        code\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation SetSchedule($name: String!, $cron: String!) {\n    setSchedule(name: $name, cron: $cron) {\n      schedule {\n        name\n        cron\n        enabled\n        nextFires(count: 3)\n      }\n      userErrors {\n        field\n        message\n        code\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation StartRun($input: TriggerRetrainInput!) {\n    triggerRetrain(input: $input) {\n      run {\n        id\n        status\n      }\n      userErrors {\n        field\n        message\n        code\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation StartRun($input: TriggerRetrainInput!) {\n    triggerRetrain(input: $input) {\n      run {\n        id\n        status\n      }\n      userErrors {\n        field\n        message\n        code\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CustomerPage($id: ID!, $filter: RecommendationFilter) {\n    customer(id: $id) {\n      id\n      city\n      province\n      orderCount\n      totalSpend\n      hasRecommendations\n      orders(first: 10) {\n        id\n        orderedAt\n        status\n        source\n        lines {\n          product {\n            id\n            name\n          }\n          quantity\n          unitPrice\n          eventType\n        }\n      }\n      events(first: 10) {\n        eventId\n        eventType\n        eventValue\n        occurredAt\n        source\n        product {\n          id\n          name\n        }\n      }\n    }\n    plain: recommendations(userId: $id, limit: 10) {\n      items {\n        product {\n          id\n        }\n      }\n    }\n    filtered: recommendations(userId: $id, limit: 10, filter: $filter) {\n      source\n      filled\n      modelVersion\n      batchVersion\n      items {\n        ...RecommendationRow\n      }\n    }\n  }\n"): (typeof documents)["\n  query CustomerPage($id: ID!, $filter: RecommendationFilter) {\n    customer(id: $id) {\n      id\n      city\n      province\n      orderCount\n      totalSpend\n      hasRecommendations\n      orders(first: 10) {\n        id\n        orderedAt\n        status\n        source\n        lines {\n          product {\n            id\n            name\n          }\n          quantity\n          unitPrice\n          eventType\n        }\n      }\n      events(first: 10) {\n        eventId\n        eventType\n        eventValue\n        occurredAt\n        source\n        product {\n          id\n          name\n        }\n      }\n    }\n    plain: recommendations(userId: $id, limit: 10) {\n      items {\n        product {\n          id\n        }\n      }\n    }\n    filtered: recommendations(userId: $id, limit: 10, filter: $filter) {\n      source\n      filled\n      modelVersion\n      batchVersion\n      items {\n        ...RecommendationRow\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query NewVisitor {\n    recommendations(userId: \"dashboard:new-visitor\", limit: 10) {\n      source\n      items {\n        ...RecommendationRow\n      }\n    }\n  }\n"): (typeof documents)["\n  query NewVisitor {\n    recommendations(userId: \"dashboard:new-visitor\", limit: 10) {\n      source\n      items {\n        ...RecommendationRow\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ExperimentPage($id: ID!) {\n    experiment(id: $id) {\n      id\n      name\n      description\n      status\n      surfaces\n      controlKey\n      shippedVariant\n      attributionWindowDays\n      variants {\n        key\n        name\n        share\n        isControl\n        strategy {\n          kind\n        }\n      }\n      history {\n        action\n        toStatus\n        note\n        at\n      }\n      results {\n        summary\n        csv\n        guardrails {\n          variant\n          metric\n          state\n        }\n        variants {\n          key\n          name\n          isControl\n          customers\n          exposures\n          clicks\n          conversions\n          revenue\n          metrics {\n            metric\n            value\n            interval {\n              low\n              high\n            }\n            vsControl {\n              lift\n              liftInterval {\n                low\n                high\n              }\n              direction\n            }\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ExperimentPage($id: ID!) {\n    experiment(id: $id) {\n      id\n      name\n      description\n      status\n      surfaces\n      controlKey\n      shippedVariant\n      attributionWindowDays\n      variants {\n        key\n        name\n        share\n        isControl\n        strategy {\n          kind\n        }\n      }\n      history {\n        action\n        toStatus\n        note\n        at\n      }\n      results {\n        summary\n        csv\n        guardrails {\n          variant\n          metric\n          state\n        }\n        variants {\n          key\n          name\n          isControl\n          customers\n          exposures\n          clicks\n          conversions\n          revenue\n          metrics {\n            metric\n            value\n            interval {\n              low\n              high\n            }\n            vsControl {\n              lift\n              liftInterval {\n                low\n                high\n              }\n              direction\n            }\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation StartExperiment($id: ID!) {\n    startExperiment(id: $id) {\n      ...ExperimentMove\n    }\n  }\n"): (typeof documents)["\n  mutation StartExperiment($id: ID!) {\n    startExperiment(id: $id) {\n      ...ExperimentMove\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PauseExperiment($id: ID!) {\n    pauseExperiment(id: $id) {\n      ...ExperimentMove\n    }\n  }\n"): (typeof documents)["\n  mutation PauseExperiment($id: ID!) {\n    pauseExperiment(id: $id) {\n      ...ExperimentMove\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ResumeExperiment($id: ID!) {\n    resumeExperiment(id: $id) {\n      ...ExperimentMove\n    }\n  }\n"): (typeof documents)["\n  mutation ResumeExperiment($id: ID!) {\n    resumeExperiment(id: $id) {\n      ...ExperimentMove\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation StopExperiment($id: ID!) {\n    stopExperiment(id: $id) {\n      ...ExperimentMove\n    }\n  }\n"): (typeof documents)["\n  mutation StopExperiment($id: ID!) {\n    stopExperiment(id: $id) {\n      ...ExperimentMove\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ShipExperiment($id: ID!, $variant: String!, $force: Boolean!) {\n    shipExperiment(id: $id, variant: $variant, force: $force) {\n      ...ExperimentMove\n    }\n  }\n"): (typeof documents)["\n  mutation ShipExperiment($id: ID!, $variant: String!, $force: Boolean!) {\n    shipExperiment(id: $id, variant: $variant, force: $force) {\n      ...ExperimentMove\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ExperimentMove on ExperimentPayload {\n    experiment {\n      id\n      status\n    }\n    userErrors {\n      field\n      message\n      code\n    }\n  }\n"): (typeof documents)["\n  fragment ExperimentMove on ExperimentPayload {\n    experiment {\n      id\n      status\n    }\n    userErrors {\n      field\n      message\n      code\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Experiments {\n    experiments(first: 100) {\n      id\n      name\n      status\n      surfaces\n      startedAt\n      createdAt\n      shippedVariant\n      variants {\n        key\n        share\n      }\n    }\n  }\n"): (typeof documents)["\n  query Experiments {\n    experiments(first: 100) {\n      id\n      name\n      status\n      surfaces\n      startedAt\n      createdAt\n      shippedVariant\n      variants {\n        key\n        share\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Models {\n    modelVersions(first: 100) {\n      id\n      recipe\n      engine\n      status\n      runId\n      trainedAt\n      metrics {\n        name\n        value\n      }\n      parameters {\n        name\n        value\n      }\n    }\n  }\n"): (typeof documents)["\n  query Models {\n    modelVersions(first: 100) {\n      id\n      recipe\n      engine\n      status\n      runId\n      trainedAt\n      metrics {\n        name\n        value\n      }\n      parameters {\n        name\n        value\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Overview($days: Int!) {\n    systemStatus {\n      coverage\n      freshnessDays\n      customersWithRecommendations\n      orderingCustomers\n      productsWithSimilarItems\n      batchVersion\n      engine\n      redisAvailable\n      activeAlerts {\n        id\n        kind\n        severity\n        message\n        raisedAt\n      }\n      schedules {\n        name\n        cron\n        enabled\n        nextFires(count: 2)\n      }\n    }\n    pipelineRuns(first: 5) {\n      edges {\n        node {\n          ...RunSummary\n        }\n      }\n    }\n    healthHistory(days: $days) {\n      takenAt\n      coverage\n      freshnessDays\n    }\n  }\n"): (typeof documents)["\n  query Overview($days: Int!) {\n    systemStatus {\n      coverage\n      freshnessDays\n      customersWithRecommendations\n      orderingCustomers\n      productsWithSimilarItems\n      batchVersion\n      engine\n      redisAvailable\n      activeAlerts {\n        id\n        kind\n        severity\n        message\n        raisedAt\n      }\n      schedules {\n        name\n        cron\n        enabled\n        nextFires(count: 2)\n      }\n    }\n    pipelineRuns(first: 5) {\n      edges {\n        node {\n          ...RunSummary\n        }\n      }\n    }\n    healthHistory(days: $days) {\n      takenAt\n      coverage\n      freshnessDays\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ProductPage($id: ID!) {\n    product(id: $id) {\n      id\n      name\n      category\n      price\n      orderCount\n      unitsSold\n      revenue\n      popularity {\n        scope\n        scopeValue\n        rank\n        score\n      }\n    }\n    similarItems(productId: $id, limit: 10) {\n      source\n      items {\n        ...RecommendationRow\n      }\n    }\n    usersForItem(productId: $id, limit: 10) {\n      users {\n        userId\n        score\n        rank\n      }\n    }\n  }\n"): (typeof documents)["\n  query ProductPage($id: ID!) {\n    product(id: $id) {\n      id\n      name\n      category\n      price\n      orderCount\n      unitsSold\n      revenue\n      popularity {\n        scope\n        scopeValue\n        rank\n        score\n      }\n    }\n    similarItems(productId: $id, limit: 10) {\n      source\n      items {\n        ...RecommendationRow\n      }\n    }\n    usersForItem(productId: $id, limit: 10) {\n      users {\n        userId\n        score\n        rank\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment RunDetail on PipelineRun {\n    ...RunSummary\n    startedAt\n    stages {\n      name\n      status\n      progress\n      message\n      startedAt\n      finishedAt\n      durationMs\n      attempts\n      counts {\n        name\n        value\n      }\n      error\n    }\n  }\n"): (typeof documents)["\n  fragment RunDetail on PipelineRun {\n    ...RunSummary\n    startedAt\n    stages {\n      name\n      status\n      progress\n      message\n      startedAt\n      finishedAt\n      durationMs\n      attempts\n      counts {\n        name\n        value\n      }\n      error\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RunPage($id: ID!) {\n    pipelineRun(id: $id) {\n      ...RunDetail\n    }\n  }\n"): (typeof documents)["\n  query RunPage($id: ID!) {\n    pipelineRun(id: $id) {\n      ...RunDetail\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription RunProgress($id: ID!) {\n    runProgress(id: $id) {\n      ...RunDetail\n    }\n  }\n"): (typeof documents)["\n  subscription RunProgress($id: ID!) {\n    runProgress(id: $id) {\n      ...RunDetail\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CancelRun($id: ID!) {\n    cancelPipelineRun(id: $id) {\n      run {\n        id\n        status\n      }\n      userErrors {\n        field\n        message\n        code\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CancelRun($id: ID!) {\n    cancelPipelineRun(id: $id) {\n      run {\n        id\n        status\n      }\n      userErrors {\n        field\n        message\n        code\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Runs($first: Int!, $after: String) {\n    pipelineRuns(first: $first, after: $after) {\n      edges {\n        node {\n          ...RunSummary\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n    systemStatus {\n      recipes\n    }\n  }\n"): (typeof documents)["\n  query Runs($first: Int!, $after: String) {\n    pipelineRuns(first: $first, after: $after) {\n      edges {\n        node {\n          ...RunSummary\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n    systemStatus {\n      recipes\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Schedules {\n    systemStatus {\n      schedules {\n        name\n        cron\n        enabled\n        nextFires(count: 3)\n      }\n    }\n  }\n"): (typeof documents)["\n  query Schedules {\n    systemStatus {\n      schedules {\n        name\n        cron\n        enabled\n        nextFires(count: 3)\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation InvalidateCache {\n    invalidateCache {\n      removedKeys\n    }\n  }\n"): (typeof documents)["\n  mutation InvalidateCache {\n    invalidateCache {\n      removedKeys\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;