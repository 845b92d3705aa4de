// The live preview's engine: a draft is saved (created once, then revised) and rendered as the official
// form, one run at a time. What is typed while a run is under way is not lost: the newest draft is saved
// when the run ends, and the drafts typed in between are skipped (only the newest matters).
import type { DocumentDraft } from "./draft";

export interface DraftOps {
  create(draft: DocumentDraft): Promise<string>;
  revise(documentId: string, draft: DocumentDraft): Promise<void>;
  /** renders the form; the new file's id */
  render(documentId: string): Promise<string>;
  /** waits until the rendered file has passed its checks */
  ready(documentId: string, fileId: string): Promise<void>;
}

export type Phase = "idle" | "saving" | "rendering" | "checking" | "ready" | "failed";

export interface SaverState {
  phase: Phase;
  documentId: string | null;
  /** the rendered file shown in the preview */
  fileId: string | null;
  error: unknown;
  /** how many drafts have been saved and rendered */
  saves: number;
}

export class DraftSaver {
  private wanted: DocumentDraft | null = null;
  private savedKey: string | null = null;
  private running: Promise<void> | null = null;
  state: SaverState;

  constructor(
    private readonly ops: DraftOps,
    private readonly onChange: (state: SaverState) => void,
    documentId: string | null = null,
  ) {
    this.state = { phase: "idle", documentId, fileId: null, error: null, saves: 0 };
  }

  /** Save and render this draft (after the run under way, if one is). */
  submit(draft: DocumentDraft): Promise<void> {
    this.wanted = draft;
    this.running ??= this.run().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** The newest draft saved and rendered: its document id, or the error that stopped it. */
  async flush(): Promise<string> {
    if (this.running) await this.running;
    if (this.wanted && this.key(this.wanted) !== this.savedKey) await this.submit(this.wanted);
    if (this.state.phase === "failed") throw this.state.error;
    if (!this.state.documentId) throw new Error("nothing-saved");
    return this.state.documentId;
  }

  get pending(): boolean {
    return this.running !== null;
  }

  private key(draft: DocumentDraft): string {
    return JSON.stringify(draft);
  }

  private set(change: Partial<SaverState>): void {
    this.state = { ...this.state, ...change };
    this.onChange(this.state);
  }

  private async run(): Promise<void> {
    try {
      while (this.wanted && this.key(this.wanted) !== this.savedKey) {
        const draft = this.wanted;
        this.set({ phase: "saving", error: null });
        let documentId = this.state.documentId;
        if (documentId === null) {
          documentId = await this.ops.create(draft);
          this.set({ documentId });
        } else {
          await this.ops.revise(documentId, draft);
        }
        this.set({ phase: "rendering" });
        const fileId = await this.ops.render(documentId);
        this.set({ phase: "checking" });
        await this.ops.ready(documentId, fileId);
        this.savedKey = this.key(draft);
        this.set({ phase: "ready", fileId, saves: this.state.saves + 1 });
      }
    } catch (error) {
      this.set({ phase: "failed", error });
    }
  }
}
