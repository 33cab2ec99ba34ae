// SQL that always yields exactly one row (an aggregate, INSERT ... RETURNING) is still typed as an
// array of rows; this states that expectation and fails loudly, with the query named, if it breaks.
export function oneRow<T>(rows: readonly T[], what: string): T {
  const row = rows[0];
  if (row === undefined) throw new Error(`${what} returned no row`);
  return row;
}
