// Types of scripts/ensure-postgres.mjs for the TypeScript that shares its search (the test cluster).
export declare const INSTALL_COMMAND: string;
/** The directory holding initdb and pg_ctl: PG_BIN_DIR when set, else the newest Debian version. */
export declare function findPostgresBin(env?: NodeJS.ProcessEnv): string | null;
