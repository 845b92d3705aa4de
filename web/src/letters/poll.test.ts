import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { pollUntil, WaitedTooLong } from "./poll";

describe("a bounded wait for one's own action", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("reads every second until done", async () => {
    let reads = 0;
    const waiting = pollUntil(() => Promise.resolve(++reads), (n) => n === 3, { everyMs: 1000, forMs: 10_000 });
    await vi.advanceTimersByTimeAsync(2000);
    await expect(waiting).resolves.toBe(3);
    expect(reads).toBe(3);
  });

  it("gives up after its time, not before", async () => {
    let reads = 0;
    const waiting = pollUntil(() => Promise.resolve(++reads), () => false, { everyMs: 1000, forMs: 5000 });
    const outcome = expect(waiting).rejects.toBeInstanceOf(WaitedTooLong);
    await vi.advanceTimersByTimeAsync(6000);
    await outcome;
    expect(reads).toBeGreaterThanOrEqual(5);
    expect(reads).toBeLessThanOrEqual(6);
  });

  it("stops at the first failed read, with its error", async () => {
    const waiting = pollUntil(() => Promise.reject(new Error("ลงนามไม่สำเร็จ")), () => true);
    await expect(waiting).rejects.toThrow("ลงนามไม่สำเร็จ");
  });

  it("stops when the page is left", async () => {
    const leaving = new AbortController();
    const waiting = pollUntil(() => Promise.resolve(0), () => false, { signal: leaving.signal });
    const outcome = expect(waiting).rejects.toBeDefined();
    await vi.advanceTimersByTimeAsync(10);
    leaving.abort(new Error("left"));
    await outcome;
  });
});
