// The resolver map: one entry per schema type that needs more than its parent's own fields, each
// from its own file named after the type.
import type { Resolvers } from './__generated__/resolvers-types';
import { Alert } from './alert.resolver';
import { BatchJob } from './batch-job.resolver';
import { Customer } from './customer.resolver';
import { DateTime } from './date-time.scalar';
import { Experiment, ExperimentResults } from './experiment.resolver';
import { ApiKey, CustomerEvent, DashboardMutation, DashboardQuery, OrderLine } from './dashboard.resolver';
import { ModelVersion } from './model-version.resolver';
import { Mutation } from './mutation.resolver';
import { PipelineRun } from './pipeline-run.resolver';
import { Product } from './product.resolver';
import { Query } from './query.resolver';
import { RecommendationItem } from './recommendation-item.resolver';
import { Schedule } from './schedule.resolver';
import { Subscription } from './subscription.resolver';
import { guardUnavailable } from './unavailable-guard';

export const resolvers: Resolvers = {
  // Resolvers that read PostgreSQL answer SERVICE_UNAVAILABLE when it is down.
  Query: guardUnavailable({ ...Query, ...DashboardQuery }),
  Mutation: guardUnavailable({ ...Mutation, ...DashboardMutation }),
  Subscription,
  Product: guardUnavailable(Product),
  Customer: guardUnavailable(Customer),
  PipelineRun,
  BatchJob,
  ModelVersion,
  Alert,
  Schedule,
  DateTime,
  Experiment: guardUnavailable(Experiment),
  ExperimentResults,
  // No PostgreSQL guard: a reason names products by id when the catalogue cannot be read.
  RecommendationItem,
  OrderLine,
  CustomerEvent,
  ApiKey,
};
