import { describe, expect, it } from "vitest";
import { agencyName, changed, feedAddress, filterChoices, sharingChoices, toggled } from "./sharing";

const agencies = [
  { id: "mdes-dept", name: "กรมพัฒนาดิจิทัลภาครัฐ" },
  { id: "dga", name: "สำนักงานพัฒนารัฐบาลดิจิทัล" },
  { id: "nso", name: "สำนักงานสถิติแห่งชาติ" },
  { id: "tmd", name: "กรมอุตุนิยมวิทยา" },
];

describe("sharing a resource", () => {
  it("names an agency as its people know it, else by its id", () => {
    expect(agencyName("dga", agencies)).toBe("สำนักงานพัฒนารัฐบาลดิจิทัล");
    expect(agencyName("gone", agencies)).toBe("gone");
    expect(agencyName("dga", undefined)).toBe("dga");
  });

  it("lists the agencies in Thai order, those no longer listed last", () => {
    const choices = sharingChoices(agencies, ["gone", "nso"]);
    expect(choices.map((c) => c.id)).toEqual(["mdes-dept", "tmd", "dga", "nso", "gone"]);
    expect(choices.at(-1)).toEqual({ id: "gone", name: "gone", listed: false });
  });

  it("filters by part of the name or id, keeping what is ticked", () => {
    const choices = sharingChoices(agencies, []);
    expect(filterChoices(choices, " กรม ", []).map((c) => c.id)).toEqual(["mdes-dept", "tmd"]);
    expect(filterChoices(choices, "nso", ["dga"]).map((c) => c.id)).toEqual(["dga", "nso"]);
    expect(filterChoices(choices, "", [])).toHaveLength(4);
  });

  it("ticks and unticks, and sees a change whatever the order", () => {
    expect(toggled(["a"], "b", true)).toEqual(["a", "b"]);
    expect(toggled(["a", "b"], "b", true)).toEqual(["a", "b"]);
    expect(toggled(["a", "b"], "a", false)).toEqual(["b"]);
    expect(changed(["a", "b"], ["b", "a"])).toBe(false);
    expect(changed(["a"], ["a", "b"])).toBe(true);
    expect(changed([], [])).toBe(false);
  });

  it("makes the calendar's full address from the API's path", () => {
    expect(feedAddress("https://saraban.example.go.th", "/v1/calendar/abc_DEF-123")).toBe("https://saraban.example.go.th/v1/calendar/abc_DEF-123");
  });
});
