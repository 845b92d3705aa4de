import { describe, expect, it } from "vitest";
import { actorName, commonName, diffLineKind, historyKey, unchangedSinceSigning } from "./record";
import {
  actionsFor,
  assigneeName,
  assigneeOf,
  buildPlan,
  forwardLabel,
  positionChoice,
  positionsOf,
  returnTargets,
  shownStepState,
  userChoice,
  type RouteView,
  type StepView,
  type UserSummary,
} from "./route";

const DIRECTOR = "ปลัดกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม";
const users: UserSummary[] = [
  { id: "u-dir", username: "ops.director", name: "นางสาวประภาพร วงศ์ไทย", position: DIRECTOR, units: [], roles: [], can_sign: true },
  { id: "u-head", username: "ops.head", name: "นายวิชัย มั่นคง", position: "ผู้อำนวยการกลุ่มงาน", units: [], roles: [], can_sign: true },
  { id: "u-s1", username: "ops.staff1", name: "สมชาย รักงาน", position: "นักวิเคราะห์นโยบายและแผนปฏิบัติการ", units: [], roles: [], can_sign: false },
  { id: "u-s2", username: "ops.staff2", name: "กาญจนา ศรีสุข", position: "นักวิเคราะห์นโยบายและแผนปฏิบัติการ", units: [], roles: [], can_sign: false },
];

function step(index: number, kind: string, state: StepView["state"], who: Partial<StepView> = {}): StepView {
  return { index, kind, kind_th: kind, user_id: null, position: null, delegate: null, state, ...who };
}

function route(current: number, state: string, yourTurn: boolean): RouteView {
  const kinds = ["draft", "proofread", "review", "sign", "sign"];
  return {
    document_id: "d1",
    state,
    current,
    book: "outgoing",
    steps: kinds.map((k, i) => step(i, k, i < current ? "done" : i === current ? "current" : "waiting")),
    number: null,
    revision: 1,
    seen_revision: null,
    stuck: null,
    your_turn: yourTurn,
    may_withdraw: false,
  };
}

describe("planning a route", () => {
  it("reads a choice as a person or a position, never both", () => {
    expect(assigneeOf(userChoice("u-head"))).toEqual({ user_id: "u-head" });
    expect(assigneeOf(positionChoice(DIRECTOR))).toEqual({ position: DIRECTOR });
    expect(assigneeOf("")).toBeNull();
    expect(assigneeOf("user:")).toBeNull();
    expect(assigneeOf("pos:  ")).toBeNull();
  });

  it("builds the plan in order, or says what is missing", () => {
    expect(buildPlan([], "")).toBe("noSigner");
    expect(buildPlan([{ kind: "review", choice: "" }], "u-dir")).toBe("incompleteReviewer");
    expect(
      buildPlan(
        [
          { kind: "proofread", choice: userChoice("u-s2") },
          { kind: "review", choice: positionChoice(DIRECTOR) },
        ],
        "u-dir",
      ),
    ).toEqual({
      reviews: [
        { kind: "proofread", assignee: { user_id: "u-s2" } },
        { kind: "review", assignee: { position: DIRECTOR } },
      ],
      signers: [{ user_id: "u-dir", delegate: null }],
      book: null,
    });
  });

  it("offers each position once, in Thai dictionary order", () => {
    expect(positionsOf(users)).toEqual(["นักวิเคราะห์นโยบายและแผนปฏิบัติการ", DIRECTOR, "ผู้อำนวยการกลุ่มงาน"]);
  });
});

describe("what the caller may do now", () => {
  it("the author at the draft step: submit it (or comment), nothing to return to", () => {
    const r = route(0, "drafting", true);
    expect(actionsFor(r, false)).toEqual(["forward", "comment"]);
    expect(forwardLabel(r)).toBe("submit");
  });

  it("a reviewer in turn: approve, return to an earlier step, reject, comment", () => {
    const r = route(2, "in_review", true);
    expect(actionsFor(r, false)).toEqual(["forward", "return", "reject", "comment"]);
    expect(forwardLabel(r)).toBe("approve");
    expect(returnTargets(r).map((s) => s.index)).toEqual([0, 1]);
  });

  it("a signer in turn: sign; once a signature is on the letter it cannot go back", () => {
    const first = route(3, "signing", true);
    expect(forwardLabel(first)).toBe("sign");
    expect(actionsFor(first, false)).toEqual(["forward", "return", "reject", "comment"]);
    const second = route(4, "signing", true);
    expect(returnTargets(second).map((s) => s.index)).toEqual([0, 1, 2]); // never a sign step
    expect(actionsFor(second, true)).toEqual(["forward", "reject", "comment"]);
  });

  it("someone whose turn it is not may only comment; nobody acts while the number is taken or after", () => {
    expect(actionsFor(route(2, "in_review", false), false)).toEqual(["comment"]);
    expect(actionsFor(route(3, "numbering", false), false)).toEqual([]);
    for (const closed of ["signed", "rejected", "withdrawn", "failed"]) {
      expect(actionsFor(route(4, closed, true), true)).toEqual([]);
    }
  });

  it("names a step's assignee by name and position, or by the position", () => {
    expect(assigneeName({ user_id: "u-head", position: null }, users)).toBe("นายวิชัย มั่นคง · ผู้อำนวยการกลุ่มงาน");
    expect(assigneeName({ user_id: null, position: DIRECTOR }, users)).toBe(DIRECTOR);
    expect(assigneeName({ user_id: "someone-else", position: null }, users)).toBe("someone-else");
  });
});

describe("a document's record", () => {
  it("names the platform's own actors in one word and people by name", () => {
    expect(actorName("system:upload-check", users, "ระบบ")).toBe("ระบบ");
    expect(actorName("u-dir", users, "ระบบ")).toBe(`นางสาวประภาพร วงศ์ไทย (${DIRECTOR})`);
    expect(historyKey("register.entry.created")).toBe("register_entry_created");
    expect(["+เพิ่ม", "-ลบ", " เดิม"].map(diffLineKind)).toEqual(["add", "del", "same"]);
  });
});

describe("reading a validation report and a finished route", () => {
  it("takes the common name out of a certificate's name, with ; or , between its parts", () => {
    expect(
      commonName(
        "Common Name: Office of the Permanent Secretary, Ministry of Digital Economy and Society (demo) Test CA; Organizational Unit: Office; Country: TH",
      ),
    ).toBe("Office of the Permanent Secretary, Ministry of Digital Economy and Society (demo) Test CA");
    expect(commonName("Common Name: eOffice Test Root CA, Organization: eOffice Test PKI, Country: TH")).toBe(
      "eOffice Test Root CA",
    );
    expect(commonName("Organization: no common name")).toBe("Organization: no common name");
  });

  it("counts a long-term signature's permitted additions as unchanged, anything else as changed", () => {
    expect(unchangedSinceSigning({ intact: true, modified_after_signing: false, modifications_permitted: null })).toBe(true);
    expect(unchangedSinceSigning({ intact: true, modified_after_signing: true, modifications_permitted: true })).toBe(true);
    expect(unchangedSinceSigning({ intact: true, modified_after_signing: true, modifications_permitted: false })).toBe(false);
    expect(unchangedSinceSigning({ intact: false, modified_after_signing: false, modifications_permitted: true })).toBe(false);
  });

  it("shows every step done once the route is signed", () => {
    const signed = route(4, "signed", false);
    expect(signed.steps.map((s) => shownStepState(signed, s))).toEqual(["done", "done", "done", "done", "done"]);
    const signing = route(4, "signing", true);
    expect(shownStepState(signing, signing.steps[4] as StepView)).toBe("current");
    const withdrawn = route(1, "withdrawn", false);
    expect(withdrawn.steps.map((s) => shownStepState(withdrawn, s))).toEqual(["done", "stopped", "waiting", "waiting", "waiting"]);
  });
});
