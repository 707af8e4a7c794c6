import { describe, expect, it } from 'vitest';
import { type SseMessage, SseParser } from './sse-parser.js';

function parse(chunks: string[]): { messages: SseMessage[]; parser: SseParser } {
  const messages: SseMessage[] = [];
  const parser = new SseParser((message) => messages.push(message));
  for (const chunk of chunks) parser.push(chunk);
  return { messages, parser };
}

describe('SseParser', () => {
  it('parses a frame split across chunks and ignores ping comments', () => {
    const { messages, parser } = parse([
      ': ping\n\nid: 4',
      '2\nevent: plan.updated\nda',
      'ta: {"id":42}\n',
      '\n',
    ]);

    expect(messages).toEqual([{ id: '42', event: 'plan.updated', data: '{"id":42}' }]);
    expect(parser.lastEventId).toBe('42');
  });

  it('joins multi-line data and accepts CRLF line endings split between chunks', () => {
    const { messages } = parse(['data: a\r', '\ndata: b\r\n\r\n']);

    expect(messages).toEqual([{ id: undefined, event: 'message', data: 'a\nb' }]);
  });

  it('keeps the last id across events and reads the retry field', () => {
    const { messages, parser } = parse(['id: 1\ndata: x\n\nretry: 250\ndata: y\n\n']);

    expect(messages.map((message) => message.data)).toEqual(['x', 'y']);
    expect(parser.lastEventId).toBe('1');
    expect(parser.retryMs).toBe(250);
  });
});
