import type { TestProject } from 'vitest/node';
import { startPgCluster } from './pg-cluster.js';

/**
 * Vitest global setup for the projects with PostgreSQL suites: one throwaway cluster per project run. Tests
 * get fresh databases on it from `createTestPgDatabase()`. A missing server fails the run with the fix.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cluster = await startPgCluster();
  project.provide('pgAdminUrl', cluster.adminUrl);
  return () => cluster.stop();
}
