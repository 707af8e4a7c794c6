import { defineConfig } from 'drizzle-kit';

// The PostgreSQL migrations, generated from the pg-core mirror of the schema (src/postgres/pg-schema.ts).
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/postgres/pg-schema.ts',
  out: './drizzle-pg',
});
