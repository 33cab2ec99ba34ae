// Prisma CLI configuration. The project applies migrations itself (`npm run db:migrate`), but
// where Prisma's schema engine is available `npx prisma migrate deploy` works on the same files.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres' },
});
