import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { MemberName } from './MemberName';

describe('MemberName', () => {
  it('shows the display name, with the Discord id on hover', () => {
    expect(renderToStaticMarkup(<MemberName id="100000000000000002" name={'Ann <3 & "co"'} />)).toBe(
      '<span title="Discord id 100000000000000002">Ann &lt;3 &amp; &quot;co&quot;</span>',
    );
  });

  it('shows the id itself, quieter, for a member the bot never saw', () => {
    expect(renderToStaticMarkup(<MemberName id="100000000000000002" name={null} />)).toBe(
      '<span class="member-id">100000000000000002</span>',
    );
  });
});
