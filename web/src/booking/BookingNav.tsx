import { Link } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import { hasRole, useMe } from "../api/me";
import { useResources } from "./api";
import "./booking.css";

/** The booking screens' own links: the week, my bookings, approvals (for approvers), trips, resources. */
export function BookingNav() {
  const { t } = useTranslation();
  const me = useMe();
  const resources = useResources();
  const approver = hasRole(me.data, "admin") || (resources.data ?? []).some((r) => me.data && r.approvers.includes(me.data.user_id));
  return (
    <nav className="booking-nav" aria-label={t("booking.navLabel")}>
      <Link to="/bookings" search={{}} activeOptions={{ exact: true, includeSearch: false }}>
        {t("booking.links.week")}
      </Link>
      <Link to="/bookings/new" search={{}}>
        {t("booking.links.new")}
      </Link>
      <Link to="/bookings/mine">{t("booking.links.mine")}</Link>
      {approver && <Link to="/bookings/approvals">{t("booking.links.approvals")}</Link>}
      <Link to="/bookings/trips" activeOptions={{ exact: true }}>
        {t("booking.links.trips")}
      </Link>
      <Link to="/bookings/trips/new">{t("booking.links.newTrip")}</Link>
      <Link to="/bookings/resources">{t("booking.links.resources")}</Link>
    </nav>
  );
}
