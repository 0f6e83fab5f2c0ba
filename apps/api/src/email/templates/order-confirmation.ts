import type { RenderedEmail } from '../providers/email-provider';

/** The variables of the order-confirmation template, named as in the Brevo template (`{{ params.x }}`). */
export interface OrderConfirmationParams {
  /** The customer's name. */
  name: string;
  order_id: string;
  /** What they ordered, in words; may span several lines. */
  order_text: string;
  /** Their chat link for this order. */
  url: string;
}

/**
 * The sandbox mailbox's version of the tutorial's Brevo template (docs/provider-contracts.md §7.2)
 * with its flaws fixed: every value escaped (the tutorial's pasted order text and username in as
 * they came), a button instead of a bare URL, labels in words instead of ORDER_ID / ORDER_TEXT, and
 * a link only when it is http(s), so a `javascript:` value can never become clickable.
 * Email-client safe: tables and inline styles (clients drop `<style>`; the one media query is a
 * bonus), system fonts, no images, nothing loaded from elsewhere.
 */
export function renderOrderConfirmation(params: OrderConfirmationParams, company: string): RenderedEmail {
  const name = params.name.trim();
  const orderId = params.order_id.trim();
  const orderText = params.order_text.trim();
  const url = params.url.trim();
  const link = isWebLink(url) ? url : undefined;
  const companyName = company.trim();

  const subject = oneLine(`Your ${companyName} order${orderId ? ` ${orderId}` : ''}`);
  const greeting = name ? `Hello ${name},` : 'Hello,';
  const thanks = `Thank you for your order${companyName ? ` with ${companyName}` : ''}!`;
  const invitation = 'Questions about this order? Chat with us, we are happy to help.';

  return {
    subject,
    html: html({
      subject,
      greeting,
      thanks,
      invitation,
      orderId,
      orderText,
      url,
      link,
      company: companyName,
    }),
    text: [
      greeting,
      '',
      thanks,
      ...(orderId ? ['', `Order: ${orderId}`] : []),
      ...(orderText ? ['', orderText] : []),
      ...(url ? ['', invitation, url] : []),
      '',
      `— ${companyName || 'Customer support'}`,
      '',
    ].join('\n'),
  };
}

interface Content {
  subject: string;
  greeting: string;
  thanks: string;
  invitation: string;
  orderId: string;
  orderText: string;
  url: string;
  /** The URL, only if it may be a link. */
  link?: string;
  company: string;
}

const FONT = `-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif`;
const INK = '#1f2933';
const MUTED = '#616e7c';
const ACCENT = '#2456c5';

function html(content: Content): string {
  const e = escapeHtml;
  const company = content.company || 'Customer support';
  const orderRows = [
    content.orderId
      ? `<tr><td style="padding:0 0 6px 0;font-family:${FONT};font-size:13px;line-height:18px;color:${MUTED};text-transform:uppercase;letter-spacing:0.04em;">Order</td></tr>
<tr><td style="padding:0 0 14px 0;font-family:${FONT};font-size:18px;line-height:24px;font-weight:bold;color:${INK};">${e(content.orderId)}</td></tr>`
      : '',
    content.orderText
      ? `<tr><td style="padding:0;font-family:${FONT};font-size:15px;line-height:22px;color:${INK};word-break:break-word;">${multiline(content.orderText)}</td></tr>`
      : '',
  ].join('');
  const order = orderRows
    ? `<tr><td style="padding:0 32px 24px 32px;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="border-collapse:separate;background-color:#f5f7fa;border:1px solid #e4e7eb;border-radius:6px;">
<tr><td style="padding:18px 20px;"><table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0">${orderRows}</table></td></tr>
</table></td></tr>`
    : '';
  const chat = !content.url
    ? ''
    : content.link
      ? `<tr><td style="padding:0 32px 8px 32px;font-family:${FONT};font-size:15px;line-height:22px;color:${INK};">${e(content.invitation)}</td></tr>
<tr><td style="padding:8px 32px 24px 32px;">
<table role="presentation" cellpadding="0" cellspacing="0" border="0"><tr>
<td align="center" bgcolor="${ACCENT}" style="border-radius:6px;background-color:${ACCENT};">
<a href="${e(content.link)}" target="_blank" rel="noopener" style="display:inline-block;padding:12px 24px;font-family:${FONT};font-size:16px;line-height:20px;font-weight:bold;color:#ffffff;text-decoration:none;border-radius:6px;">Chat with us about this order</a>
</td></tr></table></td></tr>
<tr><td style="padding:0 32px 24px 32px;font-family:${FONT};font-size:13px;line-height:19px;color:${MUTED};">If the button does not work, copy this link into your browser:<br><a href="${e(content.link)}" target="_blank" rel="noopener" style="color:${ACCENT};text-decoration:underline;word-break:break-all;">${e(content.link)}</a></td></tr>`
      : `<tr><td style="padding:0 32px 24px 32px;font-family:${FONT};font-size:15px;line-height:22px;color:${INK};">${e(content.invitation)}<br><span style="word-break:break-all;">${e(content.url)}</span></td></tr>`;

  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="x-apple-disable-message-reformatting">
<meta name="color-scheme" content="light">
<title>${e(content.subject)}</title>
<style>
@media only screen and (max-width: 620px) {
  .sb-card { width: 100% !important; border-radius: 0 !important; }
  .sb-outer { padding: 0 !important; }
}
</style>
</head>
<body style="margin:0;padding:0;background-color:#eef1f5;">
<div style="display:none;max-height:0;overflow:hidden;mso-hide:all;">${e(content.thanks)}${content.orderId ? ` Order ${e(content.orderId)}.` : ''}</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:#eef1f5;">
<tr><td class="sb-outer" align="center" style="padding:24px 12px;">
<table role="presentation" class="sb-card" width="600" cellpadding="0" cellspacing="0" border="0" style="width:100%;max-width:600px;background-color:#ffffff;border-radius:8px;border-collapse:separate;">
<tr><td style="padding:24px 32px;border-bottom:1px solid #e4e7eb;font-family:${FONT};font-size:20px;line-height:26px;font-weight:bold;color:${INK};">${e(company)}</td></tr>
<tr><td style="padding:28px 32px 8px 32px;font-family:${FONT};font-size:13px;line-height:18px;color:${MUTED};text-transform:uppercase;letter-spacing:0.08em;">Order confirmation</td></tr>
<tr><td style="padding:0 32px 12px 32px;font-family:${FONT};font-size:16px;line-height:24px;color:${INK};">${e(content.greeting)}</td></tr>
<tr><td style="padding:0 32px 24px 32px;font-family:${FONT};font-size:16px;line-height:24px;color:${INK};">${e(content.thanks)}</td></tr>
${order}
${chat}
<tr><td style="padding:20px 32px;border-top:1px solid #e4e7eb;font-family:${FONT};font-size:12px;line-height:18px;color:${MUTED};">You are receiving this email because you placed an order with ${e(company)}.</td></tr>
</table>
</td></tr>
</table>
</body>
</html>
`;
}

/** http(s) URLs only, without spaces or control characters that a client might split the link on. */
function isWebLink(url: string): boolean {
  if (!/^https?:\/\//i.test(url) || /[\s\p{Cc}]/u.test(url)) return false;
  try {
    const parsed = new URL(url);
    return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.hostname !== '';
  } catch {
    return false;
  }
}

function multiline(text: string): string {
  return text
    .split(/\r\n|\r|\n/)
    .map((line) => escapeHtml(line))
    .join('<br>');
}

/** A subject is a mail header: no line breaks in it. */
function oneLine(text: string): string {
  return text
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/ {2,}/g, ' ')
    .trim();
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ENTITIES[char] ?? char);
}

const HTML_ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
