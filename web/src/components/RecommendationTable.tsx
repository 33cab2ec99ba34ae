// A recommendation list: rank, product, score, where each item came from and why (its reason).
import { Link } from 'react-router';
import { number } from './format';
import { TableWrap } from './TableWrap';

export interface RecItem {
  rank: number;
  score: number;
  source: string;
  /** Why it is recommended (RecommendationItem.reason), when the query asked for it. */
  reason?: { kind: string; productIds: readonly string[]; text: string };
  product: { id: string; name?: string | null; category?: string | null; price?: number | null };
}

export function RecommendationTable({ items, caption }: { items: readonly RecItem[]; caption: string }) {
  if (!items.length) return <p>Nothing to show.</p>;
  return (
    <TableWrap label={caption}>
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Rank</th>
            <th scope="col">Product</th>
            <th scope="col">Category</th>
            <th scope="col">Price</th>
            <th scope="col">Score</th>
            <th scope="col">Source</th>
            {items.some((i) => i.reason) && <th scope="col">Reason</th>}
          </tr>
        </thead>
        <tbody>
          {items.map((i) => (
            <tr key={`${String(i.rank)}:${i.product.id}`}>
              <td>{i.rank}</td>
              <td>
                <Link to={`/products?id=${encodeURIComponent(i.product.id)}`}>{i.product.name ?? i.product.id}</Link>
              </td>
              <td>{i.product.category ?? '—'}</td>
              <td>{i.product.price == null ? '—' : number(i.product.price, 2)}</td>
              <td>{number(i.score, 3)}</td>
              <td>{i.source.toLowerCase().replaceAll('_', ' ')}</td>
              {i.reason && (
                <td className="wrap" title={i.reason.kind.toLowerCase().replaceAll('_', ' ')}>
                  {i.reason.text}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}
