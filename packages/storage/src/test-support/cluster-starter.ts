// Starts a throwaway PostgreSQL cluster, prints its admin URL and waits to be killed (pg-cluster.test.ts).
import { startPgCluster } from './pg-cluster.js';

const cluster = await startPgCluster();
process.stdout.write(`${JSON.stringify({ adminUrl: cluster.adminUrl })}\n`);
setInterval(() => {}, 60_000);
