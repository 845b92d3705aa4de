import { Link } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";

/** The records officer's screens, one link each (the current one marked by the router). */
export function ArchiveNav() {
  const { t } = useTranslation();
  return (
    <nav className="archive-nav" aria-label={t("archive.navLabel")}>
      <Link to="/archive" activeOptions={{ exact: true }}>
        {t("archive.tabs.stored")}
      </Link>
      <Link to="/archive/destruction">{t("archive.tabs.destruction")}</Link>
      <Link to="/archive/loans">{t("archive.tabs.loans")}</Link>
      <Link to="/archive/transfers">{t("archive.tabs.transfers")}</Link>
    </nav>
  );
}
