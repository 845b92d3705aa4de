// A short, bounded wait for the result of one's own action (a signature being made, a number being
// taken): read every `everyMs` until `done`, at most `forMs`. Not for inboxes (those are pushed).

export class WaitedTooLong extends Error {
  constructor() {
    super("waited-too-long");
    this.name = "WaitedTooLong";
  }
}

export async function pollUntil<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  { everyMs = 1000, forMs = 90_000, signal }: { everyMs?: number; forMs?: number; signal?: AbortSignal } = {},
): Promise<T> {
  const deadline = Date.now() + forMs;
  for (;;) {
    signal?.throwIfAborted();
    const value = await read();
    if (done(value)) return value;
    if (Date.now() + everyMs > deadline) throw new WaitedTooLong();
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, everyMs);
      signal?.addEventListener(
        "abort",
        () => {
          clearTimeout(timer);
          reject(signal.reason as Error);
        },
        { once: true },
      );
    });
  }
}
