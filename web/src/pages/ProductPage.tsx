// Product explorer: a product's figures, its similar items, its segment (the customers most
// likely to buy it) and where it stands in each popularity list.
import { Link, useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import { ErrorMessage } from '../components/ErrorMessage';
import { number } from '../components/format';
import { LookupForm } from '../components/LookupForm';
import { RecommendationTable } from '../components/RecommendationTable';
import { graphql } from '../graphql/__generated__';

const ProductQuery = graphql(`
  query ProductPage($id: ID!) {
    product(id: $id) {
      id
      name
      category
      price
      orderCount
      unitsSold
      revenue
      popularity {
        scope
        scopeValue
        rank
        score
      }
    }
    similarItems(productId: $id, limit: 10) {
      source
      items {
        ...RecommendationRow
      }
    }
    usersForItem(productId: $id, limit: 10) {
      users {
        userId
        score
        rank
      }
    }
  }
`);

export default function ProductPage() {
  const [params, setParams] = useSearchParams();
  const id = params.get('id') ?? '';
  const [{ data, error, fetching }] = useQuery({ query: ProductQuery, variables: { id }, pause: !id });
  const product = data?.product;
  const similar = data?.similarItems;
  const segment = data?.usersForItem;
  return (
    <section>
      <h1>Products</h1>
      <LookupForm
        key={id}
        label="Product id"
        initial={id}
        onLookup={(next) => {
          setParams({ id: next });
        }}
      />
      {error && <ErrorMessage error={error} prefix={`Product ${id}`} />}
      {id && !error && !product && <p>{fetching ? 'Loading…' : `No product with id ${id}.`}</p>}
      {product && similar && segment && (
        <>
          <h2>{product.name ?? product.id}</h2>
          <dl className="facts">
            <dt>Id</dt>
            <dd>{product.id}</dd>
            <dt>Category</dt>
            <dd>{product.category ?? 'unknown'}</dd>
            <dt>Price</dt>
            <dd>{product.price == null ? '—' : number(product.price, 2)}</dd>
            <dt>Orders</dt>
            <dd>
              {number(product.orderCount)} ({number(product.unitsSold)} units, revenue {number(product.revenue, 2)})
            </dd>
          </dl>
          <h2>Popularity</h2>
          {product.popularity.length ? (
            <ul className="plain-list">
              {product.popularity.map((p) => (
                <li key={`${p.scope}:${p.scopeValue ?? ''}`}>
                  #{p.rank} {p.scope === 'global' ? 'overall' : `in ${p.scope} ${p.scopeValue ?? ''}`}
                </li>
              ))}
            </ul>
          ) : (
            <p>Not in any popularity list of the current batch.</p>
          )}
          <div className="columns">
            <div>
              <h2>Similar items</h2>
              <RecommendationTable items={similar.items} caption={`Similar to ${product.id}`} />
            </div>
            <div>
              <h2>Segment (likely buyers)</h2>
              {segment.users.length ? (
                <ol className="plain-list">
                  {segment.users.map((u) => (
                    <li key={u.userId}>
                      <Link to={`/customers?id=${encodeURIComponent(u.userId)}`}>{u.userId}</Link> (score{' '}
                      {number(u.score, 3)})
                    </li>
                  ))}
                </ol>
              ) : (
                <p>No segment for this product in the current batch.</p>
              )}
            </div>
          </div>
        </>
      )}
    </section>
  );
}
