import { expect } from "chai";
import { drainWithWorkers } from "../../src/platform/workerPool";

describe("drainWithWorkers", () => {
  async function* numbers(count: number, closed: { value: boolean }) {
    try {
      for (let i = 0; i < count; i += 1) yield await Promise.resolve(i); // as a query's pages come
    } finally {
      closed.value = true;
    }
  }
  const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

  it("visits every item once, with at most `workers` visits at a time, and closes the source", async () => {
    const closed = { value: false };
    const visited: number[] = [];
    let running = 0;
    let most = 0;
    await drainWithWorkers(
      numbers(10, closed),
      3,
      () => false,
      async (n) => {
        running += 1;
        most = Math.max(most, running);
        await tick();
        visited.push(n);
        running -= 1;
      },
    );
    expect([...visited].sort((a, b) => a - b)).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(most).to.equal(3);
    expect(closed.value).to.equal(true);
  });

  it("takes no new item once stopped, finishes what it started, and closes the source", async () => {
    const closed = { value: false };
    const visited: number[] = [];
    await drainWithWorkers(
      numbers(100, closed),
      2,
      () => visited.length >= 4,
      async (n) => {
        await tick();
        visited.push(n);
      },
    );
    expect(visited).to.have.length.within(4, 5);
    expect(closed.value).to.equal(true);
  });
});
