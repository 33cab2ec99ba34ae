// Which variant a subject (a customer id, or a session id for an anonymous visitor) sees: a hash
// of (experiment id, subject) picks a bucket out of 10,000, and the variants' shares cut the
// buckets into ranges in their listed order. Pure and deterministic: every gateway process
// assigns a subject alike without talking to the others, and the subject stays in its variant for
// the experiment's whole life (shares are fixed once created).
import { createHash } from 'node:crypto';
import type { Variant } from './experiment-types';

export const BUCKETS = 10_000;

/** The subject's bucket in [0, BUCKETS): the first 32 bits of sha256("<experimentId>:<subject>"). */
export function bucketOf(experimentId: number, subject: string): number {
  const digest = createHash('sha256').update(`${experimentId}:${subject}`).digest();
  return digest.readUInt32BE(0) % BUCKETS;
}

export function variantFor(experimentId: number, variants: readonly Variant[], subject: string): Variant {
  const bucket = bucketOf(experimentId, subject);
  let upTo = 0;
  for (const v of variants) {
    upTo += (v.share * BUCKETS) / 100;
    if (bucket < upTo) return v;
  }
  // Shares add up to 100 (validated), so the loop always returns; this is the last range's end.
  const last = variants.at(-1);
  if (!last) throw new Error('an experiment without variants cannot assign');
  return last;
}
