import { Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { JobQueue } from '../jobs/job-queue';
import { ThreadModule } from '../thread/thread.module';
import { DeliveryReceiptsController } from './delivery/delivery-receipts.controller';
import { DeliveryReceiptsRepository } from './delivery/delivery-receipts.repository';
import { DeliveryReceiptsService } from './delivery/delivery-receipts.service';
import { ReceiptRoutes } from './delivery/receipt-routes';
import { InboundSmsController } from './inbound/inbound-sms.controller';
import { InboundSmsRepository } from './inbound/inbound-sms.repository';
import { InboundSmsService } from './inbound/inbound-sms.service';
import { MultipartSmsAssembler } from './inbound/multipart-sms.assembler';
import { MultipartRepository } from './inbound/multipart.repository';
import { OutboundSmsRepository } from './outbound/outbound-sms.repository';
import { OutboundSmsWorker } from './outbound/outbound-sms.worker';
import { SmsBudget } from './outbound/sms-budget';
import { SmsRepliesService } from './outbound/sms-replies.service';
import { SandboxSmsProvider } from './providers/sandbox.sms-provider';
import { SMS_PROVIDER, type SmsProvider } from './providers/sms-provider';
import { VonageSmsProvider } from './providers/vonage.sms-provider';
import { WebhookNoncesRepository } from './webhook-nonces.repository';
import { WebhookPathTokenGuard } from './webhook-path-token.guard';
import { WebhookVerifier } from './webhook-verifier';

/** Vonage credentials select the Vonage adapter; without them, the sandbox. */
function smsProvider(config: AppConfig, jobs: JobQueue, receipts: DeliveryReceiptsService): SmsProvider {
  if (!config.vonage) return new SandboxSmsProvider(jobs, receipts);
  return new VonageSmsProvider({
    apiKey: config.vonage.apiKey,
    apiSecret: config.vonage.apiSecret,
    restHost: config.vonage.restHost,
    // Ask for receipts on each message only where Vonage can reach us; else the dashboard's URL applies.
    statusCallbackUrl: config.publicUrl.startsWith('https://')
      ? `${config.publicUrl}/webhooks/sms-status${config.webhooks.pathToken ? `/${config.webhooks.pathToken}` : ''}`
      : undefined,
  });
}

@Module({
  imports: [ThreadModule],
  controllers: [InboundSmsController, DeliveryReceiptsController],
  providers: [
    {
      provide: SMS_PROVIDER,
      useFactory: smsProvider,
      inject: [AppConfig, JobQueue, DeliveryReceiptsService],
    },
    InboundSmsService,
    InboundSmsRepository,
    MultipartSmsAssembler,
    MultipartRepository,
    DeliveryReceiptsService,
    DeliveryReceiptsRepository,
    OutboundSmsWorker,
    OutboundSmsRepository,
    SmsRepliesService,
    SmsBudget,
    ReceiptRoutes,
    WebhookNoncesRepository,
    WebhookVerifier,
    WebhookPathTokenGuard,
  ],
  exports: [SMS_PROVIDER, SmsBudget, ReceiptRoutes, WebhookNoncesRepository],
})
export class SmsModule {}
