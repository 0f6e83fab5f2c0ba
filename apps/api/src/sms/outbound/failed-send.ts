import type { Job } from '../../jobs/job-queue';
import { SmsSendError } from '../providers/sms-provider';

export type FailedSend =
  /** Note `note`, then throw `error`: pg-boss tries again after its backoff. */
  | { retry: true; error: SmsSendError; note: string }
  /** Final: the SMS failed, for this reason. */
  | { retry: false; reason: string };

/**
 * What a failed send means for its job, for every sender of SMS: another try while the error is
 * retryable and tries are left, else failed with the reason. An error that is not an SmsSendError (the
 * network, a timeout) counts as retryable.
 */
export function failedSend(job: Pick<Job<unknown>, 'retryCount' | 'retryLimit'>, error: unknown): FailedSend {
  const failure =
    error instanceof SmsSendError ? error : new SmsSendError((error as Error).message ?? String(error), true);
  const attempt = job.retryCount + 1;
  if (failure.retryable && job.retryCount < job.retryLimit) {
    return { retry: true, error: failure, note: `Attempt ${attempt} failed, retrying: ${failure.message}` };
  }
  return {
    retry: false,
    reason: failure.retryable ? `Gave up after ${attempt} attempts: ${failure.message}` : failure.message,
  };
}
