import { describe, expect, it } from "vitest";
import type { DocumentDraft } from "./draft";
import { emptyForm, toDraft } from "./draft";
import { DraftSaver, type DraftOps, type SaverState } from "./saver";

function draft(subject: string): DocumentDraft {
  return toDraft({ ...emptyForm("policy"), subject });
}

/** Fake API operations that record each call; a call waits until released when `hold` is set. */
function fakeOps() {
  const calls: string[] = [];
  let files = 0;
  let gate: Promise<void> | null = null;
  let open: () => void = () => undefined;
  const failing = new Set<string>();
  const step = async (name: string) => {
    calls.push(name);
    if (gate) await gate;
    if (failing.has(name.split(":")[0] ?? "")) throw new Error(`${name} refused`);
  };
  const ops: DraftOps = {
    async create(d) {
      await step(`create:${d.subject}`);
      return "doc-1";
    },
    async revise(id, d) {
      await step(`revise:${id}:${d.subject}`);
    },
    async render(id) {
      await step(`render:${id}`);
      files += 1;
      return `file-${files}`;
    },
    async ready(id, fileId) {
      await step(`ready:${id}:${fileId}`);
    },
  };
  return {
    ops,
    calls,
    failing,
    hold() {
      gate = new Promise((resolve) => (open = resolve));
    },
    release() {
      gate = null;
      open();
    },
  };
}

describe("the live preview's saver", () => {
  it("creates the draft once, then revises it, rendering after each", async () => {
    const fake = fakeOps();
    const states: SaverState[] = [];
    const saver = new DraftSaver(fake.ops, (s) => states.push(s));
    await saver.submit(draft("ก"));
    await saver.submit(draft("กข"));
    expect(fake.calls).toEqual([
      "create:ก",
      "render:doc-1",
      "ready:doc-1:file-1",
      "revise:doc-1:กข",
      "render:doc-1",
      "ready:doc-1:file-2",
    ]);
    expect(saver.state).toMatchObject({ phase: "ready", documentId: "doc-1", fileId: "file-2", saves: 2 });
    expect(states.map((s) => s.phase).slice(0, 4)).toEqual(["saving", "saving", "rendering", "checking"]);
  });

  it("saves only the newest of the drafts typed while a run is under way", async () => {
    const fake = fakeOps();
    const saver = new DraftSaver(fake.ops, () => undefined);
    fake.hold();
    const first = saver.submit(draft("ก"));
    void saver.submit(draft("กข"));
    void saver.submit(draft("กขค"));
    fake.release();
    await first;
    expect(fake.calls.filter((c) => !c.startsWith("render") && !c.startsWith("ready"))).toEqual([
      "create:ก",
      "revise:doc-1:กขค",
    ]);
  });

  it("does not save or render again a draft already saved", async () => {
    const fake = fakeOps();
    const saver = new DraftSaver(fake.ops, () => undefined);
    await saver.submit(draft("ก"));
    await saver.submit(draft("ก"));
    expect(fake.calls).toHaveLength(3);
    expect(await saver.flush()).toBe("doc-1");
    expect(fake.calls).toHaveLength(3);
  });

  it("says a failure, keeps the document it made, and tries again with the next draft", async () => {
    const fake = fakeOps();
    const saver = new DraftSaver(fake.ops, () => undefined);
    fake.failing.add("render");
    await saver.submit(draft("ก"));
    expect(saver.state.phase).toBe("failed");
    expect(saver.state.documentId).toBe("doc-1");
    expect(String(saver.state.error)).toContain("render:doc-1 refused");
    await expect(saver.flush()).rejects.toThrow("render:doc-1 refused");
    fake.failing.clear();
    await saver.submit(draft("ก"));
    expect(saver.state).toMatchObject({ phase: "ready", error: null, fileId: "file-1" });
    expect(fake.calls.filter((c) => c.startsWith("create"))).toHaveLength(1);
  });

  it("goes on with a saved document when opened on one", async () => {
    const fake = fakeOps();
    const saver = new DraftSaver(fake.ops, () => undefined, "doc-9");
    await saver.submit(draft("แก้ไข"));
    expect(fake.calls[0]).toBe("revise:doc-9:แก้ไข");
  });

  it("flushes nothing when nothing was ever typed", async () => {
    const saver = new DraftSaver(fakeOps().ops, () => undefined);
    await expect(saver.flush()).rejects.toThrow("nothing-saved");
  });
});
