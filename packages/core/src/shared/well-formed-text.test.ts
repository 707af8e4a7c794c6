import { describe, expect, it } from 'vitest';
import { ValidationError } from './errors.js';
import {
  assertWellFormedFields,
  assertWellFormedText,
  isWellFormedText,
  replaceLoneSurrogates,
} from './well-formed-text.js';

describe('well-formed text', () => {
  it('accepts any text whose surrogates come in pairs, emoji included', () => {
    for (const text of ['', 'plain', 'levels 📈 at 510', '\uD83D\uDE00\uD83D\uDE00', 'é中文']) {
      expect(isWellFormedText(text), text).toBe(true);
      expect(() => assertWellFormedText(text, 'text')).not.toThrow();
    }
  });

  it('refuses a lone high or low surrogate anywhere with a VALIDATION error naming the field', () => {
    for (const text of ['a\uD83Db', '\uD83D', 'end\uD83D', '\uDE00start', 'x\uDE00\uD83Dy']) {
      expect(isWellFormedText(text), JSON.stringify(text)).toBe(false);
      let thrown: unknown;
      try {
        assertWellFormedText(text, 'author.name');
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(ValidationError);
      expect((thrown as ValidationError).field).toBe('author.name');
      expect((thrown as ValidationError).message).toContain('author.name');
    }
  });

  it('refuses a NUL character (U+0000), which PostgreSQL cannot store, naming the field and its place', () => {
    for (const text of ['a\u0000b', '\u0000', 'end\u0000']) {
      let thrown: unknown;
      try {
        assertWellFormedText(text, 'question');
      } catch (error) {
        thrown = error;
      }
      expect(thrown, JSON.stringify(text)).toBeInstanceOf(ValidationError);
      expect((thrown as ValidationError).field).toBe('question');
      expect((thrown as ValidationError).message).toContain(`at character ${text.indexOf('\u0000') + 1}`);
    }
    expect(() => assertWellFormedFields({ reason: 'fine', name: 'n\u0000' })).toThrow(/name contains a NUL/);
  });

  it('checks several fields and names the first bad one', () => {
    expect(() => assertWellFormedFields({ text: 'fine', channel: null, name: undefined })).not.toThrow();
    expect(() => assertWellFormedFields({ text: 'fine', 'charts[0].filename': 'a\uD800.png' })).toThrow(
      /charts\[0\]\.filename/,
    );
  });

  it('replaces each lone surrogate with U+FFFD and leaves pairs alone', () => {
    expect(replaceLoneSurrogates('a\uD83Db 😀 \uDE00')).toBe('a\uFFFDb 😀 \uFFFD');
    expect(replaceLoneSurrogates('\uDE00\uD83D')).toBe('\uFFFD\uFFFD');
    expect(isWellFormedText(replaceLoneSurrogates('\uD800\uD800\uDC00'))).toBe(true);
  });
});
