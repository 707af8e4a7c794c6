import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './processes.js';

/** The example scripts, by file name. */
export function exampleFiles(): string[] {
  return readdirSync(join(REPO_ROOT, 'examples')).filter((name) => name.endsWith('.mjs'));
}

/** The packages an example imports (bare specifiers, not node: built-ins or relative paths). */
export function importedPackages(name: string): string[] {
  const source = readFileSync(join(REPO_ROOT, 'examples', name), 'utf8');
  const specifiers = [...source.matchAll(/^\s*import\s[^'"]*['"]([^'"]+)['"]/gm)].map((match) => match[1]!);
  return specifiers
    .filter((specifier) => !specifier.startsWith('node:') && !specifier.startsWith('.'))
    .map((specifier) =>
      specifier
        .split('/')
        .slice(0, specifier.startsWith('@') ? 2 : 1)
        .join('/'),
    );
}

/** The dependencies examples/package.json declares (what `pnpm install` links for the examples). */
export function declaredExampleDependencies(): string[] {
  const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'examples', 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  return Object.keys(manifest.dependencies ?? {});
}
