import { renderOrderConfirmation, type OrderConfirmationParams } from './order-confirmation';

function orderParams(overrides: Partial<OrderConfirmationParams> = {}): OrderConfirmationParams {
  return {
    name: 'Ann Lee',
    order_id: 'A-1001',
    order_text: '1 × Blue widget, $4.99\n2 × Red widget, $9.98',
    url: 'https://desk.acme.example/chat/12/1001?token=abc.def&x=1',
    ...overrides,
  };
}

/** The href of every link in the HTML. */
function hrefs(html: string): string[] {
  return [...html.matchAll(/<a\s[^>]*href="([^"]*)"/g)].map((match) => match[1]);
}

describe(renderOrderConfirmation.name, () => {
  it('has a subject naming the company and the order', () => {
    expect(renderOrderConfirmation(orderParams(), 'ACME').subject).toBe('Your ACME order A-1001');
  });

  it('keeps the subject on one line', () => {
    const { subject } = renderOrderConfirmation(
      orderParams({ order_id: 'A-1\r\nBcc: x@evil.example' }),
      'ACME',
    );
    expect(subject).not.toMatch(/[\r\n]/);
    expect(subject).toBe('Your ACME order A-1 Bcc: x@evil.example');
  });

  describe('the HTML version', () => {
    const sut = () => renderOrderConfirmation(orderParams(), 'ACME').html;

    it('carries the name, the company, the order id and every line of the order text', () => {
      const html = sut();
      expect(html).toContain('Hello Ann Lee,');
      expect(html).toContain('ACME');
      expect(html).toContain('A-1001');
      expect(html).toContain('1 × Blue widget, $4.99<br>2 × Red widget, $9.98');
    });

    it('has a "Chat with us about this order" button linking the chat URL', () => {
      const html = sut();
      expect(html).toMatch(
        /<a href="https:\/\/desk\.acme\.example\/chat\/12\/1001\?token=abc\.def&amp;x=1"[^>]*>Chat with us about this order<\/a>/,
      );
      expect(
        hrefs(html).every((href) => href === 'https://desk.acme.example/chat/12/1001?token=abc.def&amp;x=1'),
      ).toBe(true);
    });

    it('is a responsive, email-client-safe document: tables, inline styles, nothing loaded from elsewhere', () => {
      const html = sut();
      expect(html).toMatch(/^<!DOCTYPE html>/);
      expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
      expect(html).toContain('role="presentation"');
      expect(html).toContain('max-width:600px');
      expect(html).not.toMatch(/<img|<link|@import|url\(|<script/i);
      expect(html).not.toMatch(/src=/i);
      expect(html).not.toMatch(/\bclass="[^"]*"(?![^>]*style=)/); // every classed element is styled inline too
    });

    it('escapes every value', () => {
      const { html } = renderOrderConfirmation(
        {
          name: '<script>alert("n")</script> & Co',
          order_id: '<b>1</b>"',
          order_text: '<img src=x onerror="alert(1)"> & "more" \'quoted\'',
          url: 'https://desk.example/chat?a=1&b="><script>alert(2)</script>',
        },
        'Tom & <Jerry>',
      );
      expect(html).not.toContain('<script');
      expect(html).not.toContain('<img');
      expect(html).not.toContain('<b>1</b>');
      expect(html).not.toContain('"alert(1)"');
      expect(html).toContain('Hello &lt;script&gt;alert(&quot;n&quot;)&lt;/script&gt; &amp; Co,');
      expect(html).toContain('&lt;b&gt;1&lt;/b&gt;&quot;');
      expect(html).toContain(
        '&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &quot;more&quot; &#39;quoted&#39;',
      );
      expect(html).toContain('Tom &amp; &lt;Jerry&gt;');
      expect(hrefs(html)[0]).toBe(
        'https://desk.example/chat?a=1&amp;b=&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;',
      );
    });

    it.each([
      ['javascript:', 'javascript:alert(document.cookie)'],
      ['data:', 'data:text/html,<script>alert(1)</script>'],
      ['a relative path', '/chat/12/1001'],
      ['a URL with a space', 'https://desk.example/chat x'],
      ['mailto:', 'mailto:help@acme.example'],
    ])('shows %s as text, without a link', (_label, url) => {
      const { html, text } = renderOrderConfirmation(orderParams({ url }), 'ACME');
      expect(hrefs(html)).toEqual([]);
      expect(html).not.toContain('Chat with us about this order</a>');
      expect(html).toContain(url.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));
      expect(text).toContain(url);
    });

    it.each(['http://localhost:3000/chat/1/2', 'HTTPS://desk.example/chat'])('links %s', (url) => {
      expect(hrefs(renderOrderConfirmation(orderParams({ url }), 'ACME').html)).toContain(url);
    });
  });

  describe('the plain-text version', () => {
    it('carries the same content and the raw URL', () => {
      const { text } = renderOrderConfirmation(orderParams(), 'ACME');
      expect(text).toContain('Hello Ann Lee,');
      expect(text).toContain('Thank you for your order with ACME!');
      expect(text).toContain('Order: A-1001');
      expect(text).toContain('1 × Blue widget, $4.99\n2 × Red widget, $9.98');
      expect(text).toContain('https://desk.acme.example/chat/12/1001?token=abc.def&x=1');
      expect(text).toContain('— ACME');
    });

    it('is not HTML-escaped', () => {
      const { text } = renderOrderConfirmation(
        orderParams({ name: 'Tom & "Jerry"', order_text: 'a < b' }),
        'ACME',
      );
      expect(text).toContain('Hello Tom & "Jerry",');
      expect(text).toContain('a < b');
      expect(text).not.toContain('&amp;');
    });
  });

  it('leaves out what is missing instead of showing empty labels', () => {
    const sut = renderOrderConfirmation({ name: '', order_id: '', order_text: '', url: '' }, 'ACME');
    expect(sut.subject).toBe('Your ACME order');
    expect(sut.text).toMatch(/^Hello,\n/);
    expect(sut.text).not.toContain('Order:');
    expect(sut.html).toContain('Hello,');
    expect(hrefs(sut.html)).toEqual([]);
  });
});
