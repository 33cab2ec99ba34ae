import type { Command } from 'commander';
import { migrate } from '../../db/migrator';
import { withApp } from './app-context';

export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description('apply database migrations (prisma/migrations); a no-op when up to date')
    .action(() =>
      withApp(async ({ db, config }) => {
        const result = await migrate(db.pool, config.database.schema);
        for (const name of result.applied) process.stdout.write(`applied ${name}\n`);
        process.stdout.write(
          result.applied.length
            ? `database schema "${config.database.schema}" is up to date (${result.applied.length} applied)\n`
            : `database schema "${config.database.schema}" was already up to date\n`,
        );
      }),
    );
}
