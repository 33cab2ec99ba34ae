// A recommendation list: rank, product, score, where each item came from and why (its reason).
import { Link } from 'react-router';
import { graphql } from '../graphql/__generated__';
import type { RecommendationRowFragment } from '../graphql/__generated__/graphql';
import { number } from './format';
import { DataTable, type Column } from './DataTable';

// What every list on the explorers selects, so each page's query spreads one fragment and the
// table's row type is generated from it.
export const RecommendationRow = graphql(`
  fragment RecommendationRow on RecommendationItem {
    rank
    score
    source
    reason {
      kind
      productIds
      text
    }
    product {
      id
      name
      category
      price
    }
  }
`);

const humanize = (code: string) => code.toLowerCase().replaceAll('_', ' ');

const COLUMNS: readonly Column<RecommendationRowFragment>[] = [
  { header: 'Rank', cell: (i) => i.rank },
  {
    header: 'Product',
    cell: (i) => <Link to={`/products?id=${encodeURIComponent(i.product.id)}`}>{i.product.name ?? i.product.id}</Link>,
  },
  { header: 'Category', cell: (i) => i.product.category ?? '—' },
  { header: 'Price', cell: (i) => (i.product.price == null ? '—' : number(i.product.price, 2)) },
  { header: 'Score', cell: (i) => number(i.score, 3) },
  { header: 'Source', cell: (i) => humanize(i.source) },
  { header: 'Reason', cell: (i) => i.reason.text, wrap: true, title: (i) => humanize(i.reason.kind) },
];

export function RecommendationTable({
  items,
  caption,
}: {
  items: readonly RecommendationRowFragment[];
  caption: string;
}) {
  return (
    <DataTable
      caption={caption}
      rows={items}
      rowKey={(i) => `${String(i.rank)}:${i.product.id}`}
      columns={COLUMNS}
      empty="Nothing to show."
    />
  );
}
