/**
 * The chat link's token, kept for this tab once the page has read it from the address bar. The page
 * takes it out of the URL (so it is not left in screenshots, bookmarks or a shared address) but still
 * needs it: to renew the short-lived session, and to open the chat again on reload.
 */
const key = (conversationId: string) => `switchboard.chat-link.${conversationId}`;

export function rememberChatLinkToken(conversationId: string, token: string): void {
  try {
    sessionStorage.setItem(key(conversationId), token);
  } catch {
    // Storage disabled (some private modes): the chat works, a reload needs the email's link again.
  }
}

export function rememberedChatLinkToken(conversationId: string): string | null {
  try {
    return sessionStorage.getItem(key(conversationId));
  } catch {
    return null;
  }
}

export function forgetChatLinkToken(conversationId: string): void {
  try {
    sessionStorage.removeItem(key(conversationId));
  } catch {
    // Nothing was kept.
  }
}
