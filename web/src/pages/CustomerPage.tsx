// Customer explorer: a customer's figures, orders and events (newest first), their
// recommendations with each filter's effect shown live, and what a brand-new visitor would see.
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import { ErrorMessage } from '../components/ErrorMessage';
import { dateTime, number } from '../components/format';
import { LookupForm } from '../components/LookupForm';
import { RecommendationTable } from '../components/RecommendationTable';
import { graphql } from '../graphql/__generated__';
import type { CustomerPageQuery, RecommendationFilter } from '../graphql/__generated__/graphql';

const CustomerQuery = graphql(`
  query CustomerPage($id: ID!, $filter: RecommendationFilter) {
    customer(id: $id) {
      id
      city
      province
      orderCount
      totalSpend
      hasRecommendations
      orders(first: 10) {
        id
        orderedAt
        status
        source
        lines {
          product {
            id
            name
          }
          quantity
          unitPrice
          eventType
        }
      }
      events(first: 10) {
        eventId
        eventType
        eventValue
        occurredAt
        source
        product {
          id
          name
        }
      }
    }
    plain: recommendations(userId: $id, limit: 10) {
      items {
        product {
          id
        }
      }
    }
    filtered: recommendations(userId: $id, limit: 10, filter: $filter) {
      source
      filled
      modelVersion
      batchVersion
      items {
        ...RecommendationRow
      }
    }
  }
`);

const NewVisitorQuery = graphql(`
  query NewVisitor {
    recommendations(userId: "dashboard:new-visitor", limit: 10) {
      source
      items {
        ...RecommendationRow
      }
    }
  }
`);

interface Filters {
  excludeInteracted: boolean;
  category: string;
  maxPrice: string;
}

function toFilter(f: Filters): RecommendationFilter | null {
  const filter: RecommendationFilter = {};
  if (f.excludeInteracted) filter.excludeInteracted = true;
  if (f.category.trim()) filter.categories = [f.category.trim()];
  const max = Number(f.maxPrice);
  if (f.maxPrice.trim() && Number.isFinite(max)) filter.maxPrice = max;
  return Object.keys(filter).length ? filter : null;
}

export default function CustomerPage() {
  const [params, setParams] = useSearchParams();
  const id = params.get('id') ?? '';
  const [filters, setFilters] = useState<Filters>({ excludeInteracted: false, category: '', maxPrice: '' });
  const filter = toFilter(filters);
  const [{ data, error, fetching }] = useQuery({ query: CustomerQuery, variables: { id, filter }, pause: !id });
  const [visitor] = useQuery({ query: NewVisitorQuery });
  const plainIds = new Set(data?.plain.items.map((i) => i.product.id));
  const changed = data ? data.filtered.items.filter((i) => !plainIds.has(i.product.id)).length : 0;

  return (
    <section>
      <h1>Customers</h1>
      <LookupForm
        key={id}
        label="Customer id"
        initial={id}
        onLookup={(next) => {
          setParams({ id: next });
        }}
      />
      {error && <ErrorMessage error={error} prefix={`Customer ${id}`} />}
      {id && !error && !data?.customer && <p>{fetching ? 'Loading…' : `No customer with id ${id}.`}</p>}
      {data?.customer && (
        <CustomerDetails
          data={{ ...data, customer: data.customer }}
          filters={filters}
          setFilters={setFilters}
          changed={changed}
          filtered={filter !== null}
        />
      )}
      <h2>What a brand-new visitor sees</h2>
      {visitor.error && <ErrorMessage error={visitor.error} />}
      {visitor.data && (
        <RecommendationTable
          items={visitor.data.recommendations.items}
          caption="Recommendations for an unknown visitor"
        />
      )}
    </section>
  );
}

function CustomerDetails({
  data,
  filters,
  setFilters,
  changed,
  filtered,
}: {
  data: CustomerPageQuery & { customer: NonNullable<CustomerPageQuery['customer']> };
  filters: Filters;
  setFilters: (f: Filters) => void;
  changed: number;
  filtered: boolean;
}) {
  const { customer } = data;
  return (
    <>
      <h2>Customer {customer.id}</h2>
      <dl className="facts">
        <dt>Place</dt>
        <dd>{[customer.city, customer.province].filter(Boolean).join(', ') || 'unknown'}</dd>
        <dt>Orders</dt>
        <dd>{number(customer.orderCount)}</dd>
        <dt>Spend</dt>
        <dd>{number(customer.totalSpend, 2)}</dd>
        <dt>Personalised</dt>
        <dd>{customer.hasRecommendations ? 'yes, in the current batch' : 'no: gets fallbacks'}</dd>
      </dl>

      <h2>Recommendations</h2>
      <fieldset className="filters">
        <legend>Filters (applied live)</legend>
        <label className="inline">
          <input
            type="checkbox"
            checked={filters.excludeInteracted}
            onChange={(e) => {
              setFilters({ ...filters, excludeInteracted: e.target.checked });
            }}
          />
          Leave out what they already bought or viewed
        </label>
        <label>
          Category{' '}
          <input
            value={filters.category}
            onChange={(e) => {
              setFilters({ ...filters, category: e.target.value });
            }}
          />
        </label>
        <label>
          Max price{' '}
          <input
            inputMode="decimal"
            value={filters.maxPrice}
            onChange={(e) => {
              setFilters({ ...filters, maxPrice: e.target.value });
            }}
          />
        </label>
      </fieldset>
      <p aria-live="polite">
        Source {data.filtered.source.toLowerCase()}, batch {data.filtered.batchVersion}, model{' '}
        {data.filtered.modelVersion ?? '—'}
        {data.filtered.filled ? '; filled from fallbacks' : ''}
        {filtered ? `; the filters changed ${String(changed)} of ${String(data.filtered.items.length)} items` : ''}.
      </p>
      <RecommendationTable items={data.filtered.items} caption={`Recommendations for ${customer.id}`} />

      <div className="columns">
        <div>
          <h2>Orders</h2>
          {customer.orders.length ? (
            <ul className="plain-list">
              {customer.orders.map((o) => (
                <li key={o.id}>
                  <strong>{o.id}</strong> {dateTime(o.orderedAt)} ({o.status}):{' '}
                  {o.lines
                    .map(
                      (l) =>
                        `${l.eventType === 'return' ? 'returned ' : ''}${String(l.quantity)} × ${l.product.name ?? l.product.id}`,
                    )
                    .join(', ')}
                </li>
              ))}
            </ul>
          ) : (
            <p>No orders.</p>
          )}
        </div>
        <div>
          <h2>Events</h2>
          {customer.events.length ? (
            <ul className="plain-list">
              {customer.events.map((e) => (
                <li key={e.eventId}>
                  {dateTime(e.occurredAt)} {e.eventType} {e.product.name ?? e.product.id} ({e.source})
                </li>
              ))}
            </ul>
          ) : (
            <p>No recorded events.</p>
          )}
        </div>
      </div>
    </>
  );
}
