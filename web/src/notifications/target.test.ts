import { describe, expect, it } from "vitest";
import { targetOf } from "./target";

describe("targetOf", () => {
  it("leads a letter's notification to its document", () => {
    expect(targetOf("01JD8Q2W3E4R5T6Y7U8I9O0P")).toEqual({
      to: "/documents/$documentId",
      params: { documentId: "01JD8Q2W3E4R5T6Y7U8I9O0P" },
    });
  });
  it("leads a trip's to the trip and a booking's to the booking", () => {
    expect(targetOf("trip/abc123")).toEqual({ to: "/bookings/trips/$tripId", params: { tripId: "abc123" } });
    expect(targetOf("booking/mdes-ops/room-1/bk9")).toEqual({
      to: "/bookings/view/$resourceId/$bookingId",
      params: { resourceId: "room-1", bookingId: "bk9" },
    });
  });
  it("leads nowhere for what it does not know or cannot trust", () => {
    expect(targetOf("")).toBeNull();
    expect(targetOf("booking/only-two")).toBeNull();
    expect(targetOf("meeting/x/y")).toBeNull();
    expect(targetOf("../admin")).toBeNull();
  });
});
