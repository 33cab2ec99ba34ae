// Every table of the dashboard: a caption, column headers with scope, one row per item, and the
// sideways-scrolling region phones and keyboard users need (TableWrap).
import type { ReactNode } from 'react';
import { TableWrap } from './TableWrap';

export interface Column<T> {
  header: string;
  cell: (row: T) => ReactNode;
  /** Lets long text wrap (errors, reasons) instead of widening the table. */
  wrap?: boolean;
  title?: (row: T) => string | undefined;
  /** The cell names its row (a th with scope="row"), as a figure's name does. */
  rowHeader?: boolean;
}

export function DataTable<T>({
  caption,
  rows,
  rowKey,
  columns,
  empty,
  captionHidden = false,
  rowTestId,
}: {
  caption: string;
  rows: readonly T[];
  rowKey: (row: T) => string;
  columns: readonly Column<T>[];
  empty: string;
  /** For a table whose heading already says what it is: the caption stays for screen readers. */
  captionHidden?: boolean;
  rowTestId?: (row: T) => string;
}) {
  if (!rows.length) return <p>{empty}</p>;
  return (
    <TableWrap label={caption}>
      <table>
        <caption className={captionHidden ? 'visually-hidden' : undefined}>{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th scope="col" key={c.header}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)} data-testid={rowTestId?.(row)}>
              {columns.map((c) => {
                const Cell = c.rowHeader ? 'th' : 'td';
                return (
                  <Cell
                    key={c.header}
                    scope={c.rowHeader ? 'row' : undefined}
                    className={c.wrap ? 'wrap' : undefined}
                    title={c.title?.(row)}
                  >
                    {c.cell(row)}
                  </Cell>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}
