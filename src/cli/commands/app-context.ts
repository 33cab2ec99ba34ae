// Builds the objects a command needs from the validated config, and closes them afterwards.
import { loadConfig, type Config } from '../../config/config';
import { ConfigError } from '../../config/config-error';
import { createDatabase, type Database } from '../../db/database';
import { createLogger, type Logger } from '../../infra/logger';

export interface AppContext {
  config: Config;
  logger: Logger;
  db: Database;
}

export function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
}

/** Runs a command body with a database; always closes it, and maps errors to a non-zero exit. */
export async function withApp(fn: (app: AppContext) => Promise<void>): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger(config);
  const db = createDatabase(config);
  try {
    await fn({ config, logger, db });
  } finally {
    await db.close();
  }
}
