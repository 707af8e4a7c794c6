import { openPostgres } from '@coachwire/storage';

/** The password of the roles withRightlessUser makes (tests check it never reaches the output). */
export const RIGHTLESS_PASSWORD = 'rightless-pw';

/**
 * Runs `use` with a URL of `databaseUrl`'s database for a new login role that has no rights in it (as when
 * the database was created by another user), and drops the role afterwards.
 */
export async function withRightlessUser<T>(
  databaseUrl: string,
  use: (url: string) => Promise<T>,
): Promise<T> {
  const role = `rightless_${process.pid}_${Date.now()}`;
  const admin = await openPostgres({ url: databaseUrl, poolSize: 1 });
  try {
    await admin.pool.query(`CREATE ROLE ${role} LOGIN PASSWORD '${RIGHTLESS_PASSWORD}'`);
    const url = new URL(databaseUrl);
    url.username = role;
    url.password = RIGHTLESS_PASSWORD;
    return await use(url.toString());
  } finally {
    await admin.pool.query(`DROP ROLE IF EXISTS ${role}`);
    await admin.close();
  }
}
