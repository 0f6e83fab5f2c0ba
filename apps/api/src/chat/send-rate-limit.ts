/**
 * A token bucket per socket: bursts of `capacity` messages, then `perSecond` on average. Kept in the
 * socket's memory because a socket lives on one instance.
 */
export class SendRateLimit {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly capacity = 10,
    private readonly perSecond = 1,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = capacity;
    this.updatedAt = now();
  }

  /** 0 when a message may go now; otherwise the seconds to wait. */
  take(): number {
    const now = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.updatedAt) / 1000) * this.perSecond);
    this.updatedAt = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - this.tokens) / this.perSecond);
  }
}
