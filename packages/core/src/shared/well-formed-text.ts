import { ValidationError } from './errors.js';

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, 'g');

/** True when `text` holds no unpaired UTF-16 surrogate, so it has a UTF-8 form and can be stored as such. */
export function isWellFormedText(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}

/**
 * True when `text` can be stored on either backend: well-formed, and without a NUL character (U+0000), which
 * PostgreSQL's text cannot hold.
 */
export function isStorableText(text: string): boolean {
  return isWellFormedText(text) && !text.includes('\u0000');
}

/**
 * Refuses text with an unpaired surrogate (e.g. `"a\ud83db"` from a JSON body): SQLite would store bytes that
 * are not UTF-8 and other clients could not read the row. Refuses a NUL character (U+0000, `"\u0000"` in
 * JSON) too: PostgreSQL's text cannot hold it, so SQLite would keep text that `db copy` cannot move and
 * PostgreSQL would fail the write as if the database were down. VALIDATION names `field`.
 */
export function assertWellFormedText(text: string, field: string): void {
  const at = text.search(LONE_SURROGATE);
  if (at !== -1)
    throw new ValidationError(
      `${field} contains an unpaired UTF-16 surrogate (at character ${at + 1}), which is not valid Unicode text. ` +
        'Send the text as valid UTF-8.',
      field,
      { position: at },
    );
  const nul = text.indexOf('\u0000');
  if (nul !== -1)
    throw new ValidationError(
      `${field} contains a NUL character (U+0000, at character ${nul + 1}), which cannot be stored. ` +
        'Remove it from the text.',
      field,
      { position: nul },
    );
}

/** Checks every named text field at once; `undefined` and `null` are skipped. */
export function assertWellFormedFields(fields: Readonly<Record<string, string | null | undefined>>): void {
  for (const [field, text] of Object.entries(fields))
    if (typeof text === 'string') assertWellFormedText(text, field);
}

/**
 * Replaces each unpaired surrogate with U+FFFD, visibly: for input that cannot be refused (what Discord sent),
 * before it reaches the rules above.
 */
export function replaceLoneSurrogates(text: string): string {
  return isWellFormedText(text) ? text : text.replace(LONE_SURROGATES, '\uFFFD');
}
