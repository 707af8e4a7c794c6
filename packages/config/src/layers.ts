import { formatPath, type PathSegment } from './key-paths.js';

/** Where each leaf came from, keyed by key path (arrays are leaves: `coaches`, `discord.guild_ids`). */
export type SourceMap = Map<string, string>;

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Lays `layer` over `base`: mappings merge key by key, anything else (arrays included) replaces.
 * Null and undefined in a layer mean "not set here", so an emptied YAML section keeps the defaults.
 */
export function mergeLayer(
  base: Record<string, unknown>,
  layer: Record<string, unknown>,
  source: string,
  sources: SourceMap,
  prefix: readonly PathSegment[] = [],
): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(layer)) {
    if (value === null || value === undefined) continue;
    const path = [...prefix, key];
    const current = merged[key];
    if (isPlainObject(value) && isPlainObject(current)) {
      merged[key] = mergeLayer(current, value, source, sources, path);
    } else {
      merged[key] = structuredClone(value);
      markLeaves(value, path, source, sources);
    }
  }
  return merged;
}

function markLeaves(value: unknown, path: readonly PathSegment[], source: string, sources: SourceMap): void {
  const key = formatPath(path);
  // A replaced subtree forgets where its old leaves came from.
  for (const existing of [...sources.keys()]) {
    if (existing.startsWith(`${key}.`)) sources.delete(existing);
  }
  if (isPlainObject(value)) {
    for (const [child, childValue] of Object.entries(value))
      markLeaves(childValue, [...path, child], source, sources);
  } else {
    sources.set(key, source);
  }
}

/** The source of the value at a path: its own, its nearest ancestor's (array items), or a descendant's. */
export function sourceOf(sources: SourceMap, segments: readonly PathSegment[]): string {
  for (let depth = segments.length; depth > 0; depth--) {
    const found = sources.get(formatPath(segments.slice(0, depth)));
    if (found !== undefined) return found;
  }
  const key = formatPath(segments);
  for (const [existing, source] of sources) {
    if (existing.startsWith(`${key}.`)) return source;
  }
  return 'default';
}

/** Builds the source map of a whole tree, every leaf labelled with one source. */
export function sourcesOfTree(tree: Record<string, unknown>, source: string): SourceMap {
  const sources: SourceMap = new Map();
  for (const [key, value] of Object.entries(tree)) markLeaves(value, [key], source, sources);
  return sources;
}
