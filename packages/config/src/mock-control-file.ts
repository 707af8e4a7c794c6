import path from 'node:path';
import { MOCK_DATA_PATHS } from './load-config.js';
import type { CoachwireConfig } from './schema.js';

/**
 * What a running mock mode writes beside its database so other processes (`coachwire say`) can find its
 * emulator: the control routes' base URL, the channel and simulated member to speak as, and the bot's pid.
 */
export interface MockControlFile {
  readonly control_url: string;
  readonly channel_id: string;
  readonly member_id: string;
  readonly pid: number;
}

/**
 * Where mock mode running with `config` keeps its control file: `emulator.json` in the SQLite database's
 * directory, or in ./data/mock/ under `cwd` when the database is PostgreSQL.
 */
export function mockControlFilePath(config: CoachwireConfig, cwd: string = process.cwd()): string {
  const directory =
    config.database.url.trim() === ''
      ? path.dirname(path.resolve(cwd, config.database.path))
      : path.resolve(cwd, path.dirname(MOCK_DATA_PATHS.database));
  return path.join(directory, 'emulator.json');
}
