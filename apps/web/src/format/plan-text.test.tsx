import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { PlanText, splitPlanText } from './plan-text';

describe('PlanText', () => {
  it('escapes markup: a plan can never inject HTML or script', () => {
    const html = renderToStaticMarkup(
      <PlanText text={'<script>alert(1)</script> <img src=x onerror="alert(2)"> & <b>bold</b>'} />,
    );
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('onerror=&quot;alert(2)&quot;');
    expect(html).toContain('&amp;');
  });

  it('keeps line breaks as text for pre-wrap to show', () => {
    const html = renderToStaticMarkup(<PlanText text={'line one\nline two\n\nline four'} />);
    expect(html).toBe('<div class="plan-text"><span>line one\nline two\n\nline four</span></div>');
  });

  it('makes http(s) links clickable, opening safely in a new tab', () => {
    const html = renderToStaticMarkup(<PlanText text="Levels: https://example.com/a?b=1&c=2 today" />);
    expect(html).toContain(
      '<a href="https://example.com/a?b=1&amp;c=2" target="_blank" rel="noopener noreferrer nofollow ugc">https://example.com/a?b=1&amp;c=2</a>',
    );
  });

  it('never links other schemes', () => {
    const html = renderToStaticMarkup(
      <PlanText text="javascript:alert(1) data:text/html,<b>x</b> vbscript:x ftp://host/file" />,
    );
    expect(html).not.toContain('<a');
  });
});

describe('splitPlanText', () => {
  it('ends a link at an invisible or bidirectional control, so the shown address is where it goes', () => {
    for (const control of ['\u200B', '\u200E', '\u202E', '\u2066', '\uFEFF']) {
      const parts = splitPlanText(`See https://example.com/${control}evil.example/x now`);
      expect(parts[1], JSON.stringify(control)).toStrictEqual({
        kind: 'link',
        text: 'https://example.com/',
        href: 'https://example.com/',
      });
      expect(parts[2]).toStrictEqual({ kind: 'text', text: `${control}evil.example/x now` });
    }
  });

  it('leaves closing punctuation out of a link', () => {
    expect(splitPlanText('See https://example.com/x. Then (https://example.com/y), ok')).toStrictEqual([
      { kind: 'text', text: 'See ' },
      { kind: 'link', text: 'https://example.com/x', href: 'https://example.com/x' },
      { kind: 'text', text: '. Then (' },
      { kind: 'link', text: 'https://example.com/y', href: 'https://example.com/y' },
      { kind: 'text', text: '), ok' },
    ]);
  });

  it('keeps a parenthesis that belongs to the URL', () => {
    const parts = splitPlanText('https://en.wikipedia.org/wiki/Gap_(chart_pattern)');
    expect(parts).toStrictEqual([
      {
        kind: 'link',
        text: 'https://en.wikipedia.org/wiki/Gap_(chart_pattern)',
        href: 'https://en.wikipedia.org/wiki/Gap_(chart_pattern)',
      },
    ]);
  });

  it('stops a link at an angle bracket', () => {
    expect(splitPlanText('<https://example.com/z>')[1]).toStrictEqual({
      kind: 'link',
      text: 'https://example.com/z',
      href: 'https://example.com/z',
    });
  });
});
