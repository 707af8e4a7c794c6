import { dirname } from 'node:path';
import type { CoachwireConfig } from '@coachwire/config';
import { ensureWritableDirectory } from '@coachwire/storage';

/** A startup check that failed: what is wrong and how to fix it (printed, then the process exits 1). */
export class StartupError extends Error {
  constructor(
    message: string,
    readonly fix: string,
  ) {
    super(message);
    this.name = 'StartupError';
  }
}

/** Creates `dir` if needed and checks this process may write there. */
export function assertWritableDirectory(dir: string, purpose: string, fix: string): void {
  try {
    ensureWritableDirectory(dir);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new StartupError(`Cannot write to the ${purpose} directory ${dir} (${reason}).`, fix);
  }
}

/**
 * The database directory, and the log file's when this process writes one, must exist and be writable
 * before anything is opened: a clear message now beats a failure deep inside SQLite or the log roller.
 */
export function assertDirectoriesWritable(config: CoachwireConfig, options: { logFile: boolean }): void {
  // With PostgreSQL (database.url) there is no database file, so its directory does not matter.
  if (config.database.url === '')
    assertWritableDirectory(
      dirname(config.database.path),
      'database',
      'Create it and give this user write access, or point database.path (env DATABASE_PATH) elsewhere.',
    );
  if (options.logFile && config.logging.file !== '') {
    assertWritableDirectory(
      dirname(config.logging.file),
      'log',
      'Create it and give this user write access, or set logging.file (env LOG_FILE) elsewhere or to "".',
    );
  }
}
