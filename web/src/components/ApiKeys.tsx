// API keys (admin): the list without secrets, a form to make one (its secret shown once, here),
// and revocation.
import { useState, type SyntheticEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../graphql/__generated__';
import { ErrorMessage, UserErrors } from './ErrorMessage';
import { dateTime } from './format';
import { DataTable, type Column } from './DataTable';
import type { ApiKeysQuery } from '../graphql/__generated__/graphql';

const Keys = graphql(`
  query ApiKeys {
    apiKeys {
      id
      name
      role
      prefix
      createdAt
      revokedAt
      lastUsedAt
    }
  }
`);

type Key = ApiKeysQuery['apiKeys'][number];
const KEY_COLUMNS: readonly Column<Key>[] = [
  { header: 'Id', cell: (k) => k.id },
  { header: 'Name', cell: (k) => k.name },
  { header: 'Role', cell: (k) => k.role },
  { header: 'Prefix', cell: (k) => <code>{k.prefix}…</code> },
  { header: 'Created', cell: (k) => dateTime(k.createdAt) },
  { header: 'Last used', cell: (k) => dateTime(k.lastUsedAt) },
];

const Create = graphql(`
  mutation CreateApiKey($input: CreateApiKeyInput!) {
    createApiKey(input: $input) {
      apiKey {
        id
        name
        role
        prefix
      }
      secret
      userErrors {
        field
        message
        code
      }
    }
  }
`);

const Revoke = graphql(`
  mutation RevokeApiKey($id: ID!) {
    revokeApiKey(id: $id) {
      apiKey {
        id
        revokedAt
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`);

export function ApiKeys() {
  const [{ data, error }, refetch] = useQuery({ query: Keys });
  const [created, create] = useMutation(Create);
  const [revoked, revoke] = useMutation(Revoke);
  const [name, setName] = useState('');
  const [role, setRole] = useState('read');

  const submit = (e: SyntheticEvent<HTMLFormElement>) => {
    e.preventDefault();
    void create({ input: { role, name: name.trim() || null } }).then(() => {
      setName('');
      refetch({ requestPolicy: 'network-only' });
    });
  };
  const secret = created.data?.createApiKey.secret;

  return (
    <div>
      <h2>API keys</h2>
      <form className="inline-form" onSubmit={submit} aria-label="Create an API key">
        <label htmlFor="key-name">Name</label>
        <input
          id="key-name"
          value={name}
          maxLength={100}
          onChange={(e) => {
            setName(e.target.value);
          }}
        />
        <label htmlFor="key-role">Role</label>
        <select
          id="key-role"
          value={role}
          onChange={(e) => {
            setRole(e.target.value);
          }}
        >
          <option value="read">read</option>
          <option value="ingest">ingest</option>
          <option value="admin">admin</option>
        </select>
        <button type="submit" disabled={created.fetching}>
          Create key
        </button>
      </form>
      {created.error && <ErrorMessage error={created.error} prefix="No key was made" />}
      {created.data && <UserErrors errors={created.data.createApiKey.userErrors} />}
      {secret && (
        <div className="secret" role="status">
          <p>New {created.data?.createApiKey.apiKey?.role} key: copy it now, it is shown only this once.</p>
          <code data-testid="new-secret">{secret}</code>
        </div>
      )}
      {error && <ErrorMessage error={error} prefix="Keys could not be listed" />}
      {revoked.error && <ErrorMessage error={revoked.error} prefix="Not revoked" />}
      {revoked.data && <UserErrors errors={revoked.data.revokeApiKey.userErrors} />}
      {data && (
        <DataTable
          caption="API keys"
          captionHidden
          rows={data.apiKeys}
          rowKey={(k) => k.id}
          rowTestId={(k) => `key-${k.id}`}
          columns={[
            ...KEY_COLUMNS,
            {
              header: 'State',
              cell: (k) =>
                k.revokedAt ? (
                  `revoked ${dateTime(k.revokedAt)}`
                ) : (
                  <button
                    type="button"
                    className="danger"
                    aria-label={`Revoke key ${k.id} (${k.name})`}
                    onClick={() => {
                      if (window.confirm(`Revoke key ${k.id} (${k.name})? Requests with it will fail.`))
                        void revoke({ id: k.id });
                    }}
                  >
                    Revoke
                  </button>
                ),
            },
          ]}
          empty="No API keys yet."
        />
      )}
    </div>
  );
}
