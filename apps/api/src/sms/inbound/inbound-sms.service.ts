import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { ErrorCode } from '@switchboard/contracts';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { AppConfig } from '../../config/app-config';
import { ApiException } from '../../http/api-exception';
import { fieldErrors } from '../../http/validation';
import { Realtime } from '../../realtime/realtime';
import { SMS_PROVIDER, type SmsProvider } from '../providers/sms-provider';
import { WebhookVerifier } from '../webhook-verifier';
import { toE164 } from '../webhook-params';
import { storableRecord } from '../../database/storable-text';
import { InboundSmsParams } from './inbound-sms.params';
import { InboundSmsRepository } from './inbound-sms.repository';
import { MultipartSmsAssembler } from './multipart-sms.assembler';
import { receiveCommand } from './receive-command';
import { replayed } from './replayed-nonce';

export type InboundOutcome = 'stored' | 'duplicate' | 'buffered';

/** One delivery of Vonage's inbound-SMS webhook, signed or not, whole or one part of many. */
export interface InboundSms {
  messageId: string;
  msisdn: string;
  to: string;
  text: string;
  /** Every parameter except the signature's, for the thread's record. */
  payload: Record<string, string>;
  concat?: { ref: string; total: number; part: number };
  signature?: { nonce: string; signature: string };
}

@Injectable()
export class InboundSmsService {
  constructor(
    private readonly config: AppConfig,
    private readonly repository: InboundSmsRepository,
    private readonly multipart: MultipartSmsAssembler,
    private readonly verifier: WebhookVerifier,
    private readonly realtime: Realtime,
    @Inject(SMS_PROVIDER) private readonly provider: SmsProvider,
  ) {}

  /** Resolves once the message is durably stored (or known); throws 401 or 400 and stores nothing. */
  async receive(params: Record<string, string>): Promise<InboundOutcome> {
    const sms = this.parse(storableRecord(params), this.verifier.verify(params));
    if (sms.concat) return this.multipart.receivePart(sms);
    const result = await this.repository.receive(receiveCommand(sms, this.config.sms, this.provider.name));
    if (result.outcome === 'replayed_nonce') throw replayed();
    if (result.outcome === 'stored') this.realtime.inbox({ ticketId: result.ticketId!, reason: 'message' });
    return result.outcome;
  }

  private parse(params: Record<string, string>, signature: InboundSms['signature']): InboundSms {
    const dto = plainToInstance(InboundSmsParams, params);
    const errors = fieldErrors(validateSync(dto, { stopAtFirstError: true }));
    if (errors.length > 0) {
      const names = [...new Set(errors.map((error) => error.field))].join(', ');
      throw new ApiException(HttpStatus.BAD_REQUEST, ErrorCode.ValidationFailed, `Invalid ${names}`, errors);
    }
    const { sig: _sig, nonce: _nonce, timestamp: _timestamp, ...payload } = params;
    return {
      messageId: dto.messageId,
      msisdn: toE164(dto.msisdn),
      to: toE164(dto.to),
      text: dto.text ?? '',
      payload,
      concat:
        dto.concat === 'true'
          ? { ref: dto['concat-ref']!, total: Number(dto['concat-total']), part: Number(dto['concat-part']) }
          : undefined,
      signature,
    };
  }
}
