// Test helpers other packages' suites use (`@coachwire/storage/testing`): the throwaway PostgreSQL server.
export { type PgCluster, type PgClusterOptions, startPgCluster } from './pg-cluster.js';
export { createTestPgDatabase, type TestPgDatabase, testPgAdminUrl } from './pg-test-database.js';
