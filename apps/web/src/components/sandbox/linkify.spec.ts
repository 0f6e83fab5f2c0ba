import { describe, expect, it } from 'vitest';

import { linkify } from './linkify';

const link = (href: string) => ({ kind: 'link', text: href, href });
const text = (value: string) => ({ kind: 'text', text: value });

describe(linkify.name, () => {
  it('returns plain text as one piece', () => {
    expect(linkify('Hello Ada,\nthanks for your order.')).toEqual([
      text('Hello Ada,\nthanks for your order.'),
    ]);
  });

  it('returns nothing for an empty text', () => {
    expect(linkify('')).toEqual([]);
  });

  it('links the chat URL of an order email, query string and all', () => {
    const url = 'http://127.0.0.1:3000/chat/12/34?token=eyJhbGciOi.eyJzdWIi.sig-_x';
    expect(linkify(`Chat with us: ${url}\n— ACME`)).toEqual([
      text('Chat with us: '),
      link(url),
      text('\n— ACME'),
    ]);
  });

  it('leaves a final full stop, comma or closing bracket out of the link', () => {
    expect(linkify('See https://example.com/a.')).toEqual([
      text('See '),
      link('https://example.com/a'),
      text('.'),
    ]);
    expect(linkify('(https://example.com/b), then')).toEqual([
      text('('),
      link('https://example.com/b'),
      text('), then'),
    ]);
  });

  it('keeps a bracket the address opened', () => {
    expect(linkify('https://en.wikipedia.org/wiki/Widget_(toy)')).toEqual([
      link('https://en.wikipedia.org/wiki/Widget_(toy)'),
    ]);
  });

  it('links several addresses', () => {
    expect(linkify('a http://a.example b https://b.example/x c')).toEqual([
      text('a '),
      link('http://a.example'),
      text(' b '),
      link('https://b.example/x'),
      text(' c'),
    ]);
  });

  it.each([
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'ftp://example.com/file',
    'mailto:help@example.com',
    'www.example.com',
  ])('never links %j', (value) => {
    expect(linkify(`go ${value} now`).every((piece) => piece.kind === 'text')).toBe(true);
  });

  it('stops an address at quotes and angle brackets, so markup in the text stays text', () => {
    const pieces = linkify('<a href="https://evil.example/x">click</a>');
    expect(pieces).toEqual([text('<a href="'), link('https://evil.example/x'), text('">click</a>')]);
  });

  it('keeps a scheme with nothing after it as text', () => {
    expect(linkify('see http:// here')).toEqual([text('see http:// here')]);
  });
});
