// Mutations answer input mistakes as userErrors in their payload (Shopify's and GitHub's
// convention) instead of failing the response. The input checks shared with queries throw
// BAD_USER_INPUT GraphQLErrors naming their argument, and the pipeline service throws typed
// errors; both become userErrors here. Auth refusals and outages stay top-level errors.
import { GraphQLError } from 'graphql';
import { ExperimentError } from '../experiments';
import {
  InvalidPipelineRequestError,
  RunAlreadyActiveError,
  RunFinishedError,
  RunNotFoundError,
  UnknownRecipeError,
} from '../pipeline/pipeline-service';
import type { UserError, UserErrorCode } from '../schema/__generated__/schema-types';

export const userError = (code: UserErrorCode, message: string, field: string[] | null = null): UserError => ({
  field,
  message,
  code,
});

/** The userError an error stands for, or null when it is not an input mistake (it is thrown on). */
export function asUserError(err: unknown, field: string[] | null = null): UserError | null {
  if (err instanceof GraphQLError && err.extensions.code === 'BAD_USER_INPUT') {
    const argument = err.extensions.argument;
    return userError('INVALID', err.message, typeof argument === 'string' ? argument.split('.') : field);
  }
  if (err instanceof RunAlreadyActiveError) return userError('RUN_ALREADY_ACTIVE', err.message, null);
  if (err instanceof RunNotFoundError) return userError('NOT_FOUND', err.message, field);
  if (err instanceof RunFinishedError) return userError('RUN_FINISHED', err.message, field);
  if (err instanceof UnknownRecipeError) return userError('UNKNOWN_RECIPE', err.message, field);
  if (err instanceof InvalidPipelineRequestError) return userError('INVALID', err.message, field);
  if (err instanceof ExperimentError) {
    // Paths inside the input keep their place under the argument that carries them.
    const path =
      err.field && field && err.field[0] !== 'id' && err.field[0] !== 'variant' ? [...field, ...err.field] : err.field;
    return userError(err.reason, err.message, path);
  }
  return null;
}

/**
 * Runs a mutation's work; an input mistake becomes `{ ...failed, userErrors: [it] }`, anything else
 * (a bug, an outage, an auth refusal) is thrown on to become a top-level error.
 */
export async function withUserErrors<T extends object, F extends object>(
  failed: F,
  work: () => Promise<T>,
  field: string[] | null = null,
): Promise<(T | F) & { userErrors: UserError[] }> {
  try {
    return { ...(await work()), userErrors: [] };
  } catch (err) {
    const mistake = asUserError(err, field);
    if (!mistake) throw err;
    return { ...failed, userErrors: [mistake] };
  }
}
