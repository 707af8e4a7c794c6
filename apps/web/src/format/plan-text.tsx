// Plan text is user input from Discord. It is rendered as React text nodes (escaped by React), never as
// HTML; only http(s) URLs become links, and those open in a new tab without access to this page.

export type PlanTextPart = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string };

// A URL runs to the next whitespace, angle bracket or invisible character; closing punctuation at its end
// belongs to the sentence. Zero-width and bidirectional controls end it: inside a link they would make the
// visible text differ from where it goes (https://example.com/<U+200B>path shows as .../path, and U+202E
// shows the rest of the address backwards).
const URL_PATTERN = /\bhttps?:\/\/[^\s<>"\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]+/gi;
const TRAILING_PUNCTUATION = /[.,;:!?'")\]}*_~]+$/;

/** Splits plan text into plain runs and http(s) links. */
export function splitPlanText(text: string): PlanTextPart[] {
  const parts: PlanTextPart[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const start = match.index;
    let url = match[0];
    const trailing = TRAILING_PUNCTUATION.exec(url);
    // Keep a closing parenthesis that closes one opened inside the URL (Wikipedia-style links).
    if (trailing) {
      let cut = trailing[0];
      if (cut.startsWith(')') && countOf(url, '(') >= countOf(url, ')')) cut = '';
      url = url.slice(0, url.length - cut.length);
    }
    if (!isHttpUrl(url)) continue;
    if (start > last) parts.push({ kind: 'text', text: text.slice(last, start) });
    parts.push({ kind: 'link', text: url, href: url });
    last = start + url.length;
  }
  if (last < text.length) parts.push({ kind: 'text', text: text.slice(last) });
  return parts;
}

function countOf(text: string, char: string): number {
  return text.split(char).length - 1;
}

function isHttpUrl(candidate: string): boolean {
  try {
    const url = new URL(candidate);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** Plan text with its line breaks kept (CSS pre-wrap) and its links clickable. */
export function PlanText({ text }: { text: string }) {
  return (
    <div className="plan-text">
      {splitPlanText(text).map((part, index) =>
        part.kind === 'link' ? (
          <a key={index} href={part.href} target="_blank" rel="noopener noreferrer nofollow ugc">
            {part.text}
          </a>
        ) : (
          <span key={index}>{part.text}</span>
        ),
      )}
    </div>
  );
}
