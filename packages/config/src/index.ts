export { assertBotCanStart } from './bot-readiness.js';
export { coachesFromConfig } from './coaches.js';
export {
  ConfigError,
  type ConfigProblem,
  configErrorFix,
  formatConfigError,
} from './config-error.js';
export { DEFAULT_CONFIG } from './defaults.js';
export {
  CONFIG_FILE_ENV_VAR,
  ENV_VAR_BINDINGS,
  type EnvVarBinding,
  envVarFor,
  listEnvVars,
  NODE_ENV_VAR,
} from './env-vars.js';
export { listConfigKeys } from './key-paths.js';
export {
  configPathFromArgv,
  type LoadConfigOptions,
  type LoadedConfig,
  loadConfig,
  loadConfigOrExit,
  loadConfigWithSources,
  MOCK_DATA_PATHS,
  usesMockDatabase,
  withDotEnv,
} from './load-config.js';
export { localApiUrl } from './local-url.js';
export {
  type CreateLoggerOptions,
  closeLogger,
  createLogger,
  flushLogger,
  LOG_REDACT_PATHS,
  type Logger,
} from './logger.js';
export { type MockControlFile, mockControlFilePath } from './mock-control-file.js';
export { ArgumentError, parseProcessArgs } from './process-args.js';
export { REDACTED, redactConfig } from './redact.js';
export { type CoachwireConfig, configSchema, type DeepPartial, LOG_LEVELS } from './schema.js';
