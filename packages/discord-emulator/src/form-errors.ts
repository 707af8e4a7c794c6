import type { Json } from './entities.js';
import type { RouteResponse } from './routes.js';

// Discord refuses a body that breaks a rule of its schema with 400 "Invalid Form Body" (code 50035) and an
// `errors` tree that mirrors the body: `{ embeds: { 0: { title: { _errors: [{ code, message }] } } } }`.

type Path = readonly (string | number)[];

/** One broken rule: where in the body, Discord's error code for it and its message. */
interface FormError {
  path: Path;
  code: string;
  message: string;
}

/** Collects the rules a request body breaks, then answers as Discord does. */
export class FormErrors {
  private readonly list: FormError[] = [];

  add(path: Path, code: string, message: string): void {
    this.list.push({ path, code, message });
  }

  /** Refuses a string longer than `max` characters (or shorter than `min`, when given). */
  length(path: Path, value: unknown, max: number, min = 0): void {
    if (typeof value !== 'string') return;
    const length = characters(value);
    if (length > max)
      this.add(
        path,
        'BASE_TYPE_BAD_LENGTH',
        min > 0 ? `Must be between ${min} and ${max} in length.` : `Must be ${max} or fewer in length.`,
      );
    else if (length < min)
      this.add(path, 'BASE_TYPE_BAD_LENGTH', `Must be between ${min} and ${max} in length.`);
  }

  /** Refuses a missing value. */
  required(path: Path, value: unknown): boolean {
    if (value !== undefined && value !== null && value !== '') return true;
    this.add(path, 'BASE_TYPE_REQUIRED', 'This field is required');
    return false;
  }

  /** Refuses an array with more than `max` items. */
  count(path: Path, value: unknown, max: number, min = 0): void {
    if (!Array.isArray(value)) return;
    if (value.length > max) this.add(path, 'BASE_TYPE_MAX_LENGTH', `Must be ${max} or fewer in length.`);
    else if (value.length < min) this.add(path, 'BASE_TYPE_MIN_LENGTH', `Must be ${min} or more in length.`);
  }

  get empty(): boolean {
    return this.list.length === 0;
  }

  /** The `errors` tree of Discord's answer. */
  tree(): Json {
    const root: Json = {};
    for (const { path, code, message } of this.list) {
      let node = root;
      for (const key of path) {
        node[String(key)] ??= {};
        node = node[String(key)] as Json;
      }
      node._errors ??= [];
      (node._errors as Json[]).push({ code, message });
    }
    return root;
  }

  /** 400 Invalid Form Body, or null when nothing is wrong. */
  response(): RouteResponse | null {
    if (this.empty) return null;
    return { status: 400, body: { message: 'Invalid Form Body', code: 50035, errors: this.tree() } };
  }
}

/** Discord counts characters (code points), not UTF-16 units: an emoji is one. */
export function characters(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/** The items of an array field, or none when it is absent or not an array. */
export function items(value: unknown): Json[] {
  return Array.isArray(value) ? (value as Json[]) : [];
}
