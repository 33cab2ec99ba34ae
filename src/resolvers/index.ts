// The resolver map: one entry per schema type, each from its own small file.
import { adminQueries } from './admin-query.resolver';
import { Customer, Product, catalogQueries } from './catalog-query.resolver';
import { mutations } from './mutation.resolver';
import { Alert, BatchJob, ModelVersion, PipelineRun, Schedule } from './pipeline-run.resolver';
import { recommendationQueries } from './recommendation-query.resolver';
import { guardUnavailable } from './unavailable-guard';

export const resolvers = {
  // Resolvers that read PostgreSQL answer SERVICE_UNAVAILABLE when it is down.
  Query: guardUnavailable({ ...recommendationQueries, ...catalogQueries, ...adminQueries }),
  Mutation: guardUnavailable(mutations),
  Product: guardUnavailable(Product),
  Customer: guardUnavailable(Customer),
  PipelineRun,
  BatchJob,
  ModelVersion,
  Alert,
  Schedule,
};
