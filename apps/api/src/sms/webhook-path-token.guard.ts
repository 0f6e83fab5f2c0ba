import { pathTokenGuard } from '../http/path-token.guard';

/**
 * With WEBHOOK_PATH_TOKEN set, SMS webhooks are served only at `…/<token>`: any other path, with or
 * without a wrong token, is an ordinary 404 that tells a prober nothing. Without it, only the plain paths.
 */
export const WebhookPathTokenGuard = pathTokenGuard((config) => config.webhooks.pathToken);
