import { describe, expect, it } from 'vitest';

import { EMAIL_FRAME_POLICY, emailFrameDocument } from './email-document';

function parse(html: string): Document {
  return new DOMParser().parseFromString(html, 'text/html');
}

describe(emailFrameDocument.name, () => {
  it('adds a base that opens links in a new tab, and the frame policy, first in the head', () => {
    const document = parse(
      emailFrameDocument(
        '<!DOCTYPE html><html><head><title>Order</title></head><body><a href="https://x.example/chat">Chat</a></body></html>',
      ),
    );
    const head = document.head.children;
    expect(head[0]!.getAttribute('http-equiv')).toBe('Content-Security-Policy');
    expect(head[0]!.getAttribute('content')).toBe(EMAIL_FRAME_POLICY);
    expect(head[1]!.tagName).toBe('BASE');
    expect(head[1]!.getAttribute('target')).toBe('_blank');
    expect(document.querySelector('a')!.getAttribute('href')).toBe('https://x.example/chat');
    expect(document.title).toBe('Order');
  });

  it('keeps the document in standards mode', () => {
    expect(emailFrameDocument('<p>Hi</p>').startsWith('<!DOCTYPE html>\n<html>')).toBe(true);
  });

  it('gives a fragment a head too', () => {
    const document = parse(emailFrameDocument('<p>Hello <a href="https://x.example">there</a></p>'));
    expect(document.querySelector('head > base[target="_blank"]')).not.toBeNull();
    expect(document.body.textContent).toBe('Hello there');
  });

  it("drops the email's own base, so it cannot send links elsewhere", () => {
    const document = parse(
      emailFrameDocument(
        '<html><head><base href="https://evil.example/" target="_self"></head><body></body></html>',
      ),
    );
    const bases = document.querySelectorAll('base');
    expect(bases).toHaveLength(1);
    expect(bases[0]!.getAttribute('href')).toBeNull();
    expect(bases[0]!.getAttribute('target')).toBe('_blank');
  });

  it('does not forbid scripts itself (the sandbox does) but blocks every other request but images', () => {
    expect(EMAIL_FRAME_POLICY).toContain("default-src 'none'");
    expect(EMAIL_FRAME_POLICY).not.toContain('script-src');
  });
});
