interface ImportMetaEnv {
  /** `true` at build time: the build can carry Vonage Conversations chats (nexmo-client). */
  readonly VITE_CHAT_VONAGE?: string;
  /** `true` at build time: the chat page can call from the browser (the Vonage Client SDK). */
  readonly VITE_VOICE_CLIENT?: string;
}
