import { RecsError } from '../../errors/recs-error';

/** The data set is below AWS Personalize's minimums; training refuses it, as Personalize does. */
export class InsufficientDataError extends RecsError {
  readonly code = 'INSUFFICIENT_DATA';
  readonly permanent = true;

  constructor(
    readonly interactions: number,
    readonly usersWithTwoOrMore: number,
  ) {
    super(
      `not enough data to train: ${interactions} interactions (minimum 1000) and ` +
        `${usersWithTwoOrMore} users with 2 or more interactions (minimum 25)`,
    );
    this.name = 'InsufficientDataError';
  }
}
