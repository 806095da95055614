import { expect } from "chai";
import { RateLimiter } from "../../src/sync/rateLimiter";

describe("rate limiter", () => {
  it("spaces request starts so no window of the limit's length holds more than the limit", async () => {
    const limiter = new RateLimiter(6_000); // 10 ms apart: a "minute" of 100 starts is 1 s
    const starts: number[] = [];
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let i = 0; i < 5; i++) {
          await limiter.acquire();
          starts.push(Date.now());
        }
      }),
    );
    starts.sort((a, b) => a - b);
    // Grants are 10 ms apart on Date.now(), so any 11 starts span 100 ms; a waiter may see its
    // grant a millisecond or two late, hence 97.
    for (let i = 0; i + 10 < starts.length; i++)
      expect(starts[i + 10] - starts[i]).to.be.at.least(97);
  });

  it("waits out a pause before the next start, then goes on at half the rate", async () => {
    const limiter = new RateLimiter(6_000); // 10 ms apart
    await limiter.acquire();
    const paused = performance.now();
    limiter.pause(200);
    await limiter.acquire();
    expect(performance.now() - paused).to.be.at.least(195);
    const a = performance.now();
    await limiter.acquire();
    await limiter.acquire();
    expect(performance.now() - a).to.be.at.least(38); // two more starts, 20 ms apart
  });

  it("refuses a rate that is not positive", () => {
    expect(() => new RateLimiter(0)).to.throw("positive");
  });
});
