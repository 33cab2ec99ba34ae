// The id box of the explorers: the id lives in the URL (?id=), so a lookup can be linked to.
import { useState, type SyntheticEvent } from 'react';

export function LookupForm({
  label,
  initial,
  onLookup,
}: {
  label: string;
  initial: string;
  onLookup: (id: string) => void;
}) {
  const [value, setValue] = useState(initial);
  const submit = (e: SyntheticEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (value.trim()) onLookup(value.trim());
  };
  return (
    <form className="inline-form" onSubmit={submit} role="search">
      <label htmlFor="lookup-id">{label}</label>
      <input
        id="lookup-id"
        value={value}
        onChange={(e) => {
          setValue(e.target.value);
        }}
        spellCheck={false}
        autoComplete="off"
      />
      <button type="submit">Look up</button>
    </form>
  );
}
