import { fileURLToPath } from 'node:url';

/**
 * The committed PostgreSQL migrations (drizzle-pg/, shipped in the package like drizzle/). This module sits
 * directly in src/ so the relative path is right both from src/ and from the bundled dist/index.js.
 */
export const PG_MIGRATIONS_FOLDER = fileURLToPath(new URL('../drizzle-pg', import.meta.url));
