export type HealthPart = 'database' | 'migrations' | 'jobs';

export interface HealthResponse {
  status: 'ok' | 'error';
  /**
   * Only when failing: each failing part and a short reason (`unreachable`, `no answer within 2000 ms`,
   * `not applied yet`, `not running`), never the underlying error's text.
   */
  failing?: Partial<Record<HealthPart, string>>;
  /** Only when failing: the details are in the log under this id. */
  errorId?: string;
}
