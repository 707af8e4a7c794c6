import { configSchema } from './schema.js';

/** One step into the configuration: an object key or an array index. */
export type PathSegment = string | number;

/** Schema nodes as plain JSON Schema, which is what TypeBox 1.x builds. */
export interface SchemaNode {
  readonly type?: string;
  readonly properties?: Record<string, SchemaNode>;
  readonly items?: SchemaNode;
  readonly enum?: readonly unknown[];
  readonly pattern?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minItems?: number;
  readonly expected?: string;
  readonly description?: string;
  readonly secret?: boolean;
}

const rootSchema = configSchema as unknown as SchemaNode;

/** `['coaches', 1, 'id']` → `coaches[1].id`, the form used in error messages. */
export function formatPath(segments: readonly PathSegment[]): string {
  let text = '';
  for (const segment of segments) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text === '' ? segment : `.${segment}`;
  }
  return text;
}

/** The schema node at a path, or undefined when the path is not part of the layout. */
export function schemaAt(segments: readonly PathSegment[]): SchemaNode | undefined {
  let node: SchemaNode | undefined = rootSchema;
  for (const segment of segments) {
    if (node === undefined) return undefined;
    node = typeof segment === 'number' ? node.items : node.properties?.[segment];
  }
  return node;
}

/** Every leaf key path of the schema; array items that are objects appear as `coaches[].id`. */
export function listConfigKeys(): string[] {
  const keys: string[] = [];
  const walk = (node: SchemaNode, prefix: string): void => {
    if (node.type === 'object' && node.properties) {
      for (const [key, child] of Object.entries(node.properties))
        walk(child, prefix ? `${prefix}.${key}` : key);
    } else if (node.type === 'array' && node.items?.type === 'object') {
      walk(node.items, `${prefix}[]`);
    } else {
      keys.push(prefix);
    }
  };
  walk(rootSchema, '');
  return keys;
}

/** True for keys whose values must never be printed (the token, API key hashes). */
export function isSecretPath(segments: readonly PathSegment[]): boolean {
  for (let depth = segments.length; depth > 0; depth--) {
    if (schemaAt(segments.slice(0, depth))?.secret === true) return true;
  }
  return false;
}

/** The phrase an error uses to say what a key accepts, derived from its schema. */
export function describeExpected(node: SchemaNode | undefined): string {
  if (node === undefined) return 'no such key';
  if (node.expected) return node.expected;
  if (node.enum) return `one of ${node.enum.join(', ')}`;
  switch (node.type) {
    case 'integer':
    case 'number':
      return describeNumber(node);
    case 'string':
      if (node.minLength !== undefined && node.maxLength !== undefined)
        return `a string of ${node.minLength} to ${node.maxLength} characters`;
      if (node.minLength) return 'a non-empty string';
      return 'a string';
    case 'boolean':
      return 'true or false';
    case 'array': {
      const what = node.items?.type === 'object' ? 'entries' : `items, each ${describeExpected(node.items)}`;
      return node.minItems ? `a list of at least ${node.minItems} ${what}` : `a list of ${what}`;
    }
    case 'object':
      return 'a mapping';
    default:
      return 'a valid value';
  }
}

function describeNumber(node: SchemaNode): string {
  const noun = node.type === 'integer' ? 'an integer' : 'a number';
  if (node.minimum !== undefined && node.maximum !== undefined)
    return `${noun} from ${node.minimum} to ${node.maximum}`;
  if (node.exclusiveMinimum !== undefined) return `${noun} greater than ${node.exclusiveMinimum}`;
  if (node.minimum !== undefined) return `${noun} of at least ${node.minimum}`;
  return noun;
}
