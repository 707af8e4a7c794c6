import {
  type CoachwireConfig,
  ConfigError,
  configErrorFix,
  type DeepPartial,
  formatConfigError,
  loadConfig,
  withDotEnv,
} from '@coachwire/config';
import { CliError, type CliIo, EXIT_USAGE } from './cli-io.js';

/** The global options every subcommand sees. */
export interface GlobalOptions {
  readonly config?: string;
}

/**
 * Loads the configuration as the apps do (defaults < YAML < ./.env < environment < `overrides`); bad config
 * exits 2.
 */
export function loadCliConfig(
  options: GlobalOptions,
  io: CliIo,
  overrides?: DeepPartial<CoachwireConfig>,
): CoachwireConfig {
  try {
    return loadConfig({
      argv: [],
      cwd: io.cwd,
      env: withDotEnv(io.cwd, io.env),
      ...(options.config !== undefined ? { configPath: options.config } : {}),
      ...(overrides !== undefined ? { overrides } : {}),
    });
  } catch (error) {
    if (error instanceof ConfigError)
      throw new CliError(formatConfigError(error), configErrorFix(error), EXIT_USAGE);
    throw error;
  }
}
