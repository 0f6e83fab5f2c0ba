export type HealthPart = 'database' | 'migrations';

export interface HealthResponse {
  status: 'ok' | 'error';
  /** Only when failing: each failing part and why. */
  failing?: Partial<Record<HealthPart, string>>;
}
