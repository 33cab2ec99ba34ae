// A table that may be wider than a phone: it scrolls sideways, and keyboard users can focus it
// to scroll it too (a scrollable region must be reachable without a mouse).
import type { ReactNode } from 'react';

export function TableWrap({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label={label}>
      {children}
    </div>
  );
}
