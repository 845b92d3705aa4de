import { Link } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import { hasRole, useMe } from "../api/me";

/** The records officer's screens, one link each (the current one marked by the router). */
export function ArchiveNav() {
  const { t } = useTranslation();
  const me = useMe();
  return (
    <nav className="archive-nav" aria-label={t("archive.navLabel")}>
      <Link to="/archive" activeOptions={{ exact: true }}>
        {t("archive.tabs.stored")}
      </Link>
      <Link to="/archive/destruction">{t("archive.tabs.destruction")}</Link>
      <Link to="/archive/loans">{t("archive.tabs.loans")}</Link>
      <Link to="/archive/transfers">{t("archive.tabs.transfers")}</Link>
      {/* imported books: the records officer imports; saraban and admin may read them (archive/legacy.py) */}
      {hasRole(me.data, "records", "saraban", "admin") && <Link to="/archive/legacy">{t("archive.tabs.legacy")}</Link>}
    </nav>
  );
}
