export { CliError, type CliIo, EXIT_FAILURE, EXIT_USAGE, processIo } from './cli-io.js';
export { botDeployScript } from './commands/deploy-commands-command.js';
export type { InvalidRow, LegacyReading } from './import/legacy-reading.js';
export { type LegacyFormat, readLegacySource } from './import/read-legacy-source.js';
export { type ImportOptions, runImport } from './import/run-import.js';
export { buildProgram, runCli } from './program.js';
