import path from 'node:path';
import { type CoachwireConfig, type DeepPartial, loadConfig } from '@coachwire/config';

/** A mock-mode configuration as `pnpm start` without a token makes it, with its database and charts in `dir`. */
export function mockModeConfig(dir: string, overrides: DeepPartial<CoachwireConfig> = {}): CoachwireConfig {
  return loadConfig({
    argv: [],
    cwd: dir,
    env: {
      MOCK_MODE: 'true',
      DATABASE_PATH: path.join(dir, 'coach_plans.db'),
      CHARTS_DIR: path.join(dir, 'charts'),
      LOG_FILE: '',
    },
    overrides,
  });
}
