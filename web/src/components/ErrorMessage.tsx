// An API error as the user made it: the gateway's message, never a generic "something went wrong".
import type { CombinedError } from 'urql';

export function errorText(error: CombinedError): string {
  if (error.graphQLErrors.length) return error.graphQLErrors.map((e) => e.message).join('; ');
  return error.networkError ? `cannot reach the gateway: ${error.networkError.message}` : error.message;
}

export function ErrorMessage({ error, prefix }: { error: CombinedError | string; prefix?: string }) {
  const text = typeof error === 'string' ? error : errorText(error);
  return (
    <p role="alert" className="error">
      {prefix ? `${prefix}: ` : ''}
      {text}
    </p>
  );
}

export function UserErrors({ errors }: { errors: readonly { message: string; field?: readonly string[] | null }[] }) {
  if (!errors.length) return null;
  return (
    <ul role="alert" className="error">
      {errors.map((e) => (
        <li key={`${(e.field ?? []).join('.')}:${e.message}`}>
          {e.field?.length ? `${e.field.join('.')}: ` : ''}
          {e.message}
        </li>
      ))}
    </ul>
  );
}
