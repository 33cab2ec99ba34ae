// Benches read values their own construction guarantees: an index below a length they sized, a
// metric they asked the evaluator for, a pid of a child they spawned. A miss there is a bug in the
// bench, so it throws naming what was missing instead of printing NaN into BENCHMARKS.md figures.
export function present<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`bench: ${what} is missing`);
  return value;
}
