import type { ReplyView } from './renderers.js';

// Discord refuses a whole message (400 Invalid Form Body) when one text is too long, so every reply is made to
// fit before it is sent. Lengths are counted in UTF-16 units, which is never fewer than the characters Discord
// counts, so a text that fits here fits there.

/** Discord's limits on message text and embeds. */
export const DISCORD_LIMITS = {
  content: 2000,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  /** Every embed of one message together: titles, descriptions, field names and values, footers. */
  embedTotal: 6000,
} as const;

/** `text` cut to at most `max` units with an ellipsis, never splitting an emoji's surrogate pair. */
export function clipText(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}

/** Whole lines joined while they fit in `max`, then "… and N more" so none seems to be missing. */
export function linesWithin(lines: readonly string[], max: number, separator = '\n'): string {
  const kept: string[] = [];
  let length = 0;
  for (const [index, line] of lines.entries()) {
    const added = (kept.length > 0 ? separator.length : 0) + line.length;
    const rest = lines.length - index - 1;
    const note = rest > 0 ? `${separator}… and ${rest} more`.length : 0;
    if (length + added + note > max) {
      const more = `… and ${lines.length - index} more`;
      return kept.length > 0 ? `${kept.join(separator)}${separator}${more}` : clipText(more, max);
    }
    kept.push(line);
    length += added;
  }
  return kept.join(separator);
}

/**
 * The view within Discord's embed limits, `budget` characters for all of it: each text within its own limit, at
 * most 25 fields, and, when the texts together are too long, the longest ones shortened alike.
 */
export function fitReplyView(view: ReplyView, budget: number = DISCORD_LIMITS.embedTotal): ReplyView {
  const L = DISCORD_LIMITS;
  const title = clipText(view.title, L.embedTitle);
  const footer = view.footer === undefined ? undefined : clipText(view.footer, L.footer);
  const fields = view.fields.slice(0, L.embedFields).map((field) => ({
    ...field,
    name: clipText(field.name, L.fieldName),
    value: clipText(field.value, L.fieldValue),
  }));
  const fixed = title.length + (footer?.length ?? 0) + fields.reduce((sum, f) => sum + f.name.length, 0);
  const texts = [clipText(view.description, L.embedDescription), ...fields.map((field) => field.value)];
  const cap = equalShareCap(
    texts.map((text) => text.length),
    Math.max(0, budget - fixed),
  );
  const [description = '', ...values] = texts.map((text) => clipText(text, cap));
  return {
    ...view,
    title,
    description,
    fields: fields.map((field, index) => ({ ...field, value: values[index] || '…' })),
    ...(footer === undefined ? {} : { footer }),
  };
}

/** The largest cap such that every length cut to it sums to at most `budget` (the longest texts give way first). */
function equalShareCap(lengths: readonly number[], budget: number): number {
  const total = lengths.reduce((sum, length) => sum + length, 0);
  if (total <= budget) return Number.POSITIVE_INFINITY;
  const sorted = [...lengths].sort((a, b) => a - b);
  let used = 0;
  for (const [index, length] of sorted.entries()) {
    const remaining = sorted.length - index;
    const share = Math.floor((budget - used) / remaining);
    if (length > share) return share;
    used += length;
  }
  return Number.POSITIVE_INFINITY;
}
