export { EventLogPruner, eventLogPrunerFor, type PruneEventLog } from './event-log-pruner.js';
export { ledgerUnavailable, marketReadsUnavailable } from './ledger-unavailable.js';
export {
  type Coachwire,
  type CoachwireRepositories,
  type OpenCoachwireOptions,
  openCoachwire,
} from './open-coachwire.js';
export { openStore, POSTGRES_FIXES, POSTGRES_URL_FIX, SCHEMA_TOO_NEW_FIX } from './open-store.js';
export {
  type CoachwireServices,
  createServices,
  marketServiceOptions,
  type ServiceRepositories,
} from './services.js';
export { assertDirectoriesWritable, assertWritableDirectory, StartupError } from './startup-checks.js';
export { stopWhenSupervisorGone } from './supervisor.js';
export {
  SLOW_DATABASE_CALL_MS,
  type SlowCallReporter,
  TimedPlanRepository,
} from './timed-plan-repository.js';
