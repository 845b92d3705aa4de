import { createRoute, lazyRouteComponent } from "@tanstack/react-router";
import { root } from "../app/root";
import { withWords } from "../i18n";

// Rooms and vehicles: the week view (/bookings), a booking request, one booking (its approval and
// cancellation), my bookings, what waits for my approval, the trip requests (แบบ 3) and the resources.
const Booking = lazyRouteComponent(() => withWords("booking", () => import("./Booking")), "Booking");
const BookingForm = lazyRouteComponent(() => withWords("booking", () => import("./BookingForm")), "BookingForm");
const BookingPage = lazyRouteComponent(() => withWords("booking", () => import("./BookingPage")), "BookingPage");
const MyBookings = lazyRouteComponent(() => withWords("booking", () => import("./MyBookings")), "MyBookings");
const Approvals = lazyRouteComponent(() => withWords("booking", () => import("./Approvals")), "Approvals");
const Trips = lazyRouteComponent(() => withWords("booking", () => import("./Trips")), "Trips");
const TripForm = lazyRouteComponent(() => withWords("booking", () => import("./TripForm")), "TripForm");
const TripPage = lazyRouteComponent(() => withWords("booking", () => import("./TripPage")), "TripPage");
const Resources = lazyRouteComponent(() => withWords("booking", () => import("./Resources")), "Resources");

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
const text = (value: unknown): string | undefined => (typeof value === "string" && value ? value : undefined);
const day = (value: unknown): string | undefined => (typeof value === "string" && ISO_DAY.test(value) ? value : undefined);

export interface WeekSearch {
  week?: string;
  kind?: "room" | "vehicle";
}
export interface NewBookingSearch {
  resource?: string;
  day?: string;
}

export const bookingRoutes = [
  createRoute({
    getParentRoute: () => root,
    path: "/bookings",
    component: Booking,
    validateSearch: (search: Record<string, unknown>): WeekSearch => {
      const kind = search.kind === "room" || search.kind === "vehicle" ? search.kind : undefined;
      const week = day(search.week);
      return { ...(week ? { week } : {}), ...(kind ? { kind } : {}) };
    },
  }),
  createRoute({
    getParentRoute: () => root,
    path: "/bookings/new",
    component: BookingForm,
    validateSearch: (search: Record<string, unknown>): NewBookingSearch => {
      const resource = text(search.resource);
      const chosen = day(search.day);
      return { ...(resource ? { resource } : {}), ...(chosen ? { day: chosen } : {}) };
    },
  }),
  createRoute({ getParentRoute: () => root, path: "/bookings/view/$resourceId/$bookingId", component: BookingPage }),
  createRoute({ getParentRoute: () => root, path: "/bookings/mine", component: MyBookings }),
  createRoute({ getParentRoute: () => root, path: "/bookings/approvals", component: Approvals }),
  createRoute({ getParentRoute: () => root, path: "/bookings/trips", component: Trips }),
  createRoute({ getParentRoute: () => root, path: "/bookings/trips/new", component: TripForm }),
  createRoute({ getParentRoute: () => root, path: "/bookings/trips/$tripId", component: TripPage }),
  createRoute({ getParentRoute: () => root, path: "/bookings/resources", component: Resources }),
] as const;
