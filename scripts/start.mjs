// `pnpm start`: builds what is needed and runs the apps. Until the apps exist it reports what is ready.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const build = spawnSync('pnpm', ['exec', 'turbo', 'run', 'build', '--output-logs=errors-only'], {
  stdio: 'inherit',
});
if (build.status !== 0) process.exit(build.status ?? 1);
const ready = ['apps/api/dist/main.js', 'apps/bot/dist/main.js'].filter((file) => existsSync(file));
console.log(`Coachwire: packages built. Ready entry points: ${ready.join(', ') || 'none yet'}.`);
