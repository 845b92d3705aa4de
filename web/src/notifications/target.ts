// Where a notification leads. The API names what it is about by `document_id`: a letter's id, or, for
// the areas that are not letters, "<kind>/<ids>" (bookings: booking/<owner>/<resource>/<booking>,
// trips: trip/<id>). Anything else is a document (a letter, minutes, a lent file).

export type Target =
  | { to: "/documents/$documentId"; params: { documentId: string } }
  | { to: "/bookings/view/$resourceId/$bookingId"; params: { resourceId: string; bookingId: string } }
  | { to: "/bookings/trips/$tripId"; params: { tripId: string } };

const ID = /^[A-Za-z0-9_-]+$/;

export function targetOf(documentId: string): Target | null {
  const parts = documentId.split("/");
  if (parts.some((part) => !ID.test(part))) return null;
  const [kind, ...rest] = parts;
  if (parts.length === 1 && kind) return { to: "/documents/$documentId", params: { documentId: kind } };
  if (kind === "trip" && rest.length === 1 && rest[0]) return { to: "/bookings/trips/$tripId", params: { tripId: rest[0] } };
  if (kind === "booking" && rest.length === 3) {
    const [, resourceId = "", bookingId = ""] = rest;
    return { to: "/bookings/view/$resourceId/$bookingId", params: { resourceId, bookingId } };
  }
  return null;
}
