import { expect } from "chai";
import { RateLimiter } from "../../src/platform/rateLimiter";
import { VirtualClock } from "../../dev/clocks";

describe("rate limiter (virtual clock)", () => {
  it("spaces request starts so no minute holds more than the limit", async () => {
    const clock = new VirtualClock();
    const limiter = new RateLimiter(60, clock); // one start a second
    const starts: number[] = [];
    await clock.run(
      Promise.all(
        Array.from({ length: 8 }, async () => {
          for (let i = 0; i < 25; i++) {
            await limiter.acquire();
            starts.push(clock.now());
          }
        }),
      ),
    );
    starts.sort((a, b) => a - b);
    expect(starts).to.have.length(200);
    for (let i = 0; i + 60 < starts.length; i++)
      expect(starts[i + 60] - starts[i], `starts ${i}..${i + 60}`).to.be.at.least(60_000);
    // And no slower than it must be: 200 starts a second apart take 199 s.
    expect(starts[199] - starts[0]).to.equal(199_000);
  });

  it("waits out a pause before the next start, then goes on at half the rate", async () => {
    const clock = new VirtualClock();
    const limiter = new RateLimiter(60, clock);
    await clock.run(limiter.acquire());
    limiter.pause(30_000);
    const starts: number[] = [];
    await clock.run(
      (async () => {
        for (let i = 0; i < 3; i++) {
          await limiter.acquire();
          starts.push(clock.now());
        }
      })(),
    );
    expect(starts).to.deep.equal([30_000, 32_000, 34_000]);
  });

  it("never waits longer than a minute between starts, however often it is paused", async () => {
    const clock = new VirtualClock();
    const limiter = new RateLimiter(60, clock);
    for (let i = 0; i < 10; i++) limiter.pause(0);
    await clock.run(limiter.acquire());
    const first = clock.now();
    await clock.run(limiter.acquire());
    expect(clock.now() - first).to.equal(60_000);
  });

  it("refuses at once a start that could only come after the deadline, and waits for one before it", async () => {
    const clock = new VirtualClock();
    const limiter = new RateLimiter(60, clock);
    expect(await clock.run(limiter.acquire(10_000))).to.equal(true);
    limiter.pause(3_600_000); // Retry-After: an hour
    expect(await clock.run(limiter.acquire(240_000))).to.equal(false);
    expect(clock.now()).to.equal(0); // refused without waiting
    expect(await clock.run(limiter.acquire(4_000_000))).to.equal(true);
    expect(clock.now()).to.equal(3_600_000);
  });

  it("refuses a rate that is not positive", () => {
    expect(() => new RateLimiter(0)).to.throw("positive");
  });
});
