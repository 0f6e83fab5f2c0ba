interface ImportMetaEnv {
  /** `true` at build time: the build can carry Vonage Conversations chats (nexmo-client). */
  readonly VITE_CHAT_VONAGE?: string;
}
