import { Link } from 'react-router';

export default function NotFoundPage() {
  return (
    <section>
      <h1>Not found</h1>
      <p>
        There is no such page. <Link to="/">Back to the overview</Link>.
      </p>
    </section>
  );
}
