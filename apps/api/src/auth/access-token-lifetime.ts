/** Access tokens live this long; the chat page renews with its link, the console with its refresh cookie. */
export const ACCESS_TOKEN_SECONDS = 15 * 60;
