import { tokenGenerate } from '@vonage/jwt';
import { Vonage } from '@vonage/server-sdk';
import type { VonageApplicationConfig } from '../config/app-config';
import {
  type BrowserCall,
  type OutboundCall,
  type PlacedCall,
  VoiceCallError,
  VoiceProvider,
  vonageNumber,
} from './voice-provider';

type CreateCall = Parameters<Vonage['voice']['createOutboundCall']>[0];

const TIMEOUT_MS = 10_000;

/**
 * Calls through Vonage's Voice API (`POST /v1/calls`, `PUT /v1/calls/{uuid}`) with the
 * `@vonage/server-sdk` voice client, authenticated by JWTs made from the application's private key.
 * The NCCO goes inline with the call, so no answer webhook hands out the agent's number. Errors never
 * carry the SDK's error, whose request options hold the Authorization header.
 */
export class VonageVoiceProvider extends VoiceProvider {
  readonly name = 'vonage';
  private readonly vonage: Vonage;

  constructor(
    private readonly application: VonageApplicationConfig,
    private readonly userPrefix: string,
  ) {
    super();
    this.vonage = new Vonage(
      { applicationId: application.applicationId, privateKey: application.privateKey },
      { apiHost: application.apiHost, timeout: TIMEOUT_MS },
    );
  }

  async place(call: OutboundCall): Promise<PlacedCall> {
    const request = {
      to: [{ type: 'phone', number: vonageNumber(call.to) }],
      from: { type: 'phone', number: vonageNumber(call.from) },
      ncco: call.ncco,
      eventUrl: [call.eventUrl],
      eventMethod: 'POST',
      ringingTimer: call.ringingSeconds,
      lengthTimer: call.maxSeconds,
    } as unknown as CreateCall;
    let result: { uuid?: string; conversationUUID?: string; conversation_uuid?: string };
    try {
      result = await this.vonage.voice.createOutboundCall(request);
    } catch (error) {
      throw new VoiceCallError(describe(error));
    }
    const conversationId = result.conversationUUID ?? result.conversation_uuid;
    if (!result.uuid || !conversationId) {
      throw new VoiceCallError('Vonage did not say which call it created (no uuid in its answer)');
    }
    return { legId: result.uuid, conversationId };
  }

  /**
   * The customer's Vonage user (created once: `<prefix>-caller-<customer id>`) and a Client SDK session
   * token for it, valid 15 minutes, allowed only what a voice call from the page needs.
   */
  async startBrowserCall(call: BrowserCall): Promise<{ token: string }> {
    const name = `${this.userPrefix}-caller-${call.customerId}`;
    try {
      await this.vonage.users.createUser({ name, displayName: 'Customer' });
    } catch (error) {
      // Created at an earlier call: the name is ours.
      if (statusOf(error) !== 409)
        throw new VoiceCallError(describe(error).replace('Voice API', 'Users API'));
    }
    const token = tokenGenerate(this.application.applicationId, this.application.privateKey, {
      subject: name,
      ttl: 900,
      acl: {
        paths: {
          '/*/sessions/**': {},
          '/*/users/**': {},
          '/*/conversations/**': {},
          '/*/legs/**': {},
          '/*/knocking/**': {},
        },
      },
    });
    return { token };
  }

  async hangUp(legId: string): Promise<void> {
    try {
      await this.vonage.voice.hangupCall(legId);
    } catch (error) {
      // Already over: nothing to hang up.
      if (statusOf(error) === 404) return;
      throw new VoiceCallError(describe(error));
    }
  }
}

function statusOf(error: unknown): number | undefined {
  return (error as { response?: { status?: number } }).response?.status;
}

function describe(error: unknown): string {
  const status = statusOf(error);
  if (status !== undefined) return `Vonage's Voice API answered ${status}`;
  const code = (error as { code?: string; name?: string }).code ?? (error as { name?: string }).name;
  return `Vonage's Voice API could not be reached (${code ?? 'error'})`;
}
