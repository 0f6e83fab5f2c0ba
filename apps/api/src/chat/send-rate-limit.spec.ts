import { SendRateLimit } from './send-rate-limit';

describe(SendRateLimit.name, () => {
  it('allows a burst, then one message per second', () => {
    let now = 0;
    const sut = new SendRateLimit(3, 1, () => now);

    expect([sut.take(), sut.take(), sut.take()]).toEqual([0, 0, 0]);
    expect(sut.take()).toBe(1);
    now += 1000;
    expect(sut.take()).toBe(0);
    expect(sut.take()).toBe(1);
  });

  it('refills to its capacity, no further', () => {
    let now = 0;
    const sut = new SendRateLimit(2, 1, () => now);
    sut.take();
    sut.take();

    now += 60_000;

    expect([sut.take(), sut.take(), sut.take()]).toEqual([0, 0, 1]);
  });
});
