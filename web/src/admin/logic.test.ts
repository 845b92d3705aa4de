import { describe, expect, it } from "vitest";
import {
  bangkokDay,
  delegationOrders,
  delegationRow,
  endOfDayBangkok,
  feedAddress,
  findUsers,
  keyAttention,
  moved,
  orderedRoles,
  positionsOf,
  roleCounts,
  templateForm,
  templatePlan,
  type SigningKey,
  type UserSummary,
} from "./logic";
import { letterheadCommand, letterheadFields } from "./letterhead";

const user = (over: Partial<UserSummary>): UserSummary => ({
  id: "u",
  username: "ops.u",
  name: "นายสมมุติ ทดสอบ",
  position: "นักวิชาการ",
  units: ["policy"],
  roles: ["staff"],
  can_sign: false,
  ...over,
});

describe("users", () => {
  const users = [
    user({ id: "a", name: "นางอรุณี เก็บรักษา", username: "ops.records", position: "เจ้าพนักงานธุรการ", roles: ["records"] }),
    user({ id: "b", name: "นายวิชัย มั่นคง", username: "ops.head", position: "ผู้อำนวยการกลุ่มงาน", roles: ["staff", "head"] }),
    user({ id: "c", name: "นายธนากร ระบบดี", username: "ops.admin", position: "นักวิชาการคอมพิวเตอร์", roles: ["admin"] }),
  ];
  it("finds by name, username or position and keeps the API's order", () => {
    expect(findUsers(users, "").map((u) => u.id)).toEqual(["a", "b", "c"]);
    expect(findUsers(users, "OPS.HEAD").map((u) => u.id)).toEqual(["b"]);
    expect(findUsers(users, "ธุรการ").map((u) => u.id)).toEqual(["a"]);
    expect(findUsers(users, "", "admin").map((u) => u.id)).toEqual(["c"]);
  });
  it("counts roles and orders them", () => {
    expect(roleCounts(users)).toEqual({ records: 1, staff: 1, head: 1, admin: 1 });
    expect(orderedRoles(["staff", "head", "weird", "admin"])).toEqual(["admin", "head", "staff", "weird"]);
  });
  it("lists positions once, in Thai order (a leading vowel sorts by its consonant)", () => {
    expect(positionsOf([...users, user({ position: "เจ้าพนักงานธุรการ" }), user({ position: " " })])).toEqual([
      "เจ้าพนักงานธุรการ",
      "นักวิชาการคอมพิวเตอร์",
      "ผู้อำนวยการกลุ่มงาน",
    ]);
  });
});

describe("delegations", () => {
  it("ends on the last day, Bangkok time, from a Buddhist date", () => {
    expect(endOfDayBangkok("31/12/2569")).toEqual({ ok: true, iso: "2026-12-31T23:59:59+07:00" });
    expect(endOfDayBangkok("๓๑/๑๒/๒๕๖๙")).toEqual({ ok: true, iso: "2026-12-31T23:59:59+07:00" });
    expect(endOfDayBangkok("")).toEqual({ ok: true, iso: null });
    expect(endOfDayBangkok("31/12/2026")).toEqual({ ok: false, problem: "year" });
  });
  it("makes the API's orders, or says each row's problem", () => {
    const good = { kind: "on_behalf" as const, fromUser: "b", orderReference: " คำสั่ง ที่ 45/2569 ", until: "1/1/2570" };
    expect(delegationOrders([good])).toEqual({
      orders: [{ kind: "on_behalf", from_user: "b", order_reference: "คำสั่ง ที่ 45/2569", until: "2027-01-01T23:59:59+07:00" }],
    });
    expect(delegationOrders([])).toEqual({ orders: [] });
    expect(delegationOrders([good, { ...good, fromUser: "" }, { ...good, orderReference: " " }, { ...good, until: "31/2/2569" }])).toEqual({
      problems: [null, "fromUser", "orderReference", "day"],
    });
  });
  it("shows a stored delegation's end as its Bangkok day", () => {
    expect(bangkokDay("2026-12-31T16:59:59Z")).toBe("2026-12-31");
    expect(bangkokDay("2026-12-31T17:00:00Z")).toBe("2027-01-01");
    expect(
      delegationRow({ kind: "acting", from_user: "b", order_reference: "ที่ 1/2569", until: "2026-12-31T23:59:59+07:00" }),
    ).toEqual({ kind: "acting", fromUser: "b", orderReference: "ที่ 1/2569", until: "31/12/2569" });
  });
});

describe("route templates", () => {
  it("round-trips a plan through the form", () => {
    const plan = {
      reviews: [{ kind: "proofread" as const, assignee: { user_id: "a", position: null } }, { kind: "review" as const, assignee: { position: "ผู้อำนวยการกลุ่มงาน" } }],
      signers: [{ user_id: "d", position: null, delegate: null }],
      book: "order",
    };
    const form = templateForm(plan);
    expect(form).toEqual({
      reviews: [
        { kind: "proofread", choice: "user:a" },
        { kind: "review", choice: "pos:ผู้อำนวยการกลุ่มงาน" },
      ],
      signers: ["user:d"],
      book: "order",
    });
    expect(templatePlan(form)).toEqual({
      reviews: [
        { kind: "proofread", assignee: { user_id: "a" } },
        { kind: "review", assignee: { position: "ผู้อำนวยการกลุ่มงาน" } },
      ],
      signers: [{ user_id: "d", delegate: null }],
      book: "order",
    });
  });
  it("says what is missing", () => {
    expect(templatePlan({ reviews: [], signers: [""], book: "" })).toBe("noSigner");
    expect(templatePlan({ reviews: [{ kind: "review", choice: "" }], signers: ["user:d"], book: "" })).toBe("incompleteStep");
    expect(templatePlan({ reviews: [], signers: ["user:d", ""], book: "" })).toBe("incompleteStep");
    expect(templatePlan({ reviews: [], signers: ["pos:ปลัด"], book: "" })).toEqual({
      reviews: [],
      signers: [{ position: "ปลัด", delegate: null }],
      book: null,
    });
  });
  it("moves rows within the list", () => {
    expect(moved(["a", "b", "c"], 1, -1)).toEqual(["b", "a", "c"]);
    expect(moved(["a", "b", "c"], 1, 1)).toEqual(["a", "c", "b"]);
    expect(moved(["a", "b"], 0, -1)).toEqual(["a", "b"]);
    expect(moved(["a", "b"], 1, 1)).toEqual(["a", "b"]);
  });
});

describe("signing keys and the calendar", () => {
  const key = (over: Partial<SigningKey>): SigningKey => ({
    user_id: "d",
    state: "active",
    key_ref: null,
    key_spec: "RSA_2048",
    origin: "onboarding",
    certificate: "issued",
    created_at: null,
    last_used_at: null,
    signed_count: 0,
    retire_at: null,
    deletion_date: null,
    earlier_keys: 0,
    ...over,
  });
  it("tells which keys need the administrator", () => {
    expect(keyAttention(key({}))).toBeNull();
    expect(keyAttention(key({ certificate: "awaiting" }))).toBe("awaiting");
    expect(keyAttention(key({ state: "disabled" }))).toBe("retiring");
    expect(keyAttention(key({ state: "pending_deletion" }))).toBe("deleting");
  });
  it("makes the whole calendar address", () => {
    expect(feedAddress("https://eoffice.example.go.th", "/v1/calendar/abc")).toBe("https://eoffice.example.go.th/v1/calendar/abc");
  });
});

describe("letterhead", () => {
  const head = {
    address_lines: ["ถนนแจ้งวัฒนะ"],
    telephone: "0 2141 6747",
    fax: "",
    email: "a@b.go.th",
    units: [{ unit_id: "policy", contact_lines: ["โทร. 1", "โทรสาร 2"] }],
    emblem: null,
  };
  it("fills four address lines and every unit, and sends them back trimmed", () => {
    const fields = letterheadFields(head, ["office", "policy"]);
    expect(fields.address).toEqual(["ถนนแจ้งวัฒนะ", "", "", ""]);
    expect(fields.units).toEqual([
      { unitId: "office", lines: "" },
      { unitId: "policy", lines: "โทร. 1\nโทรสาร 2" },
    ]);
    const units = [{ unitId: "office", lines: " a \n\n b\nc\nd\ne" }, { unitId: "policy", lines: "โทร. 1\nโทรสาร 2" }];
    expect(letterheadCommand({ ...fields, units })).toEqual({
      address_lines: ["ถนนแจ้งวัฒนะ"],
      telephone: "0 2141 6747",
      fax: "",
      email: "a@b.go.th",
      units: [
        { unit_id: "office", contact_lines: ["a", "b", "c", "d"] },
        { unit_id: "policy", contact_lines: ["โทร. 1", "โทรสาร 2"] },
      ],
    });
  });
});
