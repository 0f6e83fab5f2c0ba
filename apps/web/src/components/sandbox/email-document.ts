/**
 * Content-Security-Policy of the email's frame: its own inline styles, images over https or inline,
 * nothing else (no scripts, fonts, frames or requests). The frame's sandbox already stops scripts.
 */
export const EMAIL_FRAME_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:";

/**
 * An email's HTML as the document of a sandboxed iframe (`srcdoc`): parsed (never run) and written back
 * with a `<base target="_blank">`, so its links open in a new tab, and the policy above. Any `<base>` of
 * its own is dropped, so relative links cannot be pointed somewhere else.
 */
export function emailFrameDocument(html: string): string {
  const document = new DOMParser().parseFromString(html, 'text/html');
  for (const base of Array.from(document.querySelectorAll('base'))) base.remove();
  const policy = document.createElement('meta');
  policy.setAttribute('http-equiv', 'Content-Security-Policy');
  policy.setAttribute('content', EMAIL_FRAME_POLICY);
  const base = document.createElement('base');
  base.setAttribute('target', '_blank');
  document.head.prepend(policy, base);
  return `<!DOCTYPE html>\n${document.documentElement.outerHTML}`;
}
