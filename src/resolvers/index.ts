// The resolver map: one entry per schema type, each from its own small file.
import { adminQueries } from './admin-query.resolver';
import { Customer, Product, catalogQueries } from './catalog-query.resolver';
import { mutations } from './mutation.resolver';
import { Alert, BatchJob, ModelVersion, PipelineRun, Schedule } from './pipeline-run.resolver';
import { recommendationQueries } from './recommendation-query.resolver';

export const resolvers = {
  Query: { ...recommendationQueries, ...catalogQueries, ...adminQueries },
  Mutation: mutations,
  Product,
  Customer,
  PipelineRun,
  BatchJob,
  ModelVersion,
  Alert,
  Schedule,
};
