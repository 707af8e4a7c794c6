import { describe, expect, it } from 'vitest';
import { MAX_EVENT_CHARS, type SseMessage, SseParser } from './sse-parser.js';

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

  it('refuses an event that grows past the limit without ending, in one line or in many, and then parses on', () => {
    const messages: SseMessage[] = [];
    const parser = new SseParser((message) => messages.push(message));
    const endless = 'x'.repeat(64 * 1024);
    const feed = (chunk: string, times: number) => {
      for (let index = 0; index < times; index++) parser.push(chunk);
    };

    expect(() => feed(endless, 17)).toThrow(
      expect.objectContaining({
        code: 'INVALID_RESPONSE',
        message: expect.stringContaining('without ending'),
      }),
    );
    expect(() => feed(`data: ${endless}\n`, 17)).toThrow(
      expect.objectContaining({ code: 'INVALID_RESPONSE' }),
    );

    parser.push('id: 9\ndata: {"id":9}\n\n');
    expect(messages).toEqual([{ id: '9', event: 'message', data: '{"id":9}' }]);
    expect(MAX_EVENT_CHARS).toBeLessThan(17 * endless.length);
  });

  it('forgets an unfinished event on reset, keeping the last id', () => {
    const { messages, parser } = parse(['id: 3\ndata: {"id":3}\n\n', 'id: 4\ndata: {"half']);
    parser.reset();
    parser.push('data: {"id":5}\n\n');

    expect(messages.map((message) => message.data)).toEqual(['{"id":3}', '{"id":5}']);
    expect(parser.lastEventId).toBe('3');
  });
});
