// A run's or stage's status as a word with a colour (the word carries the meaning, not the colour).
export function StatusBadge({ status }: { status: string }) {
  const s = status.toLowerCase();
  return <span className={`badge badge-${s}`}>{s}</span>;
}
