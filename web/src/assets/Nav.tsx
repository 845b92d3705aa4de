import { Link } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import { hasRole, useMe } from "../api/me";
import { useMayKeep } from "./data";
import "./assets.css";

/** The asset area's own links: the register, adding and importing (who keeps it), depreciation, the
 * stock-take, and the settings (everyone reads them; the admin edits them). */
export function AssetsNav() {
  const { t } = useTranslation();
  const me = useMe();
  const mayKeep = useMayKeep();
  return (
    <nav className="asset-nav" aria-label={t("assets.navLabel")}>
      <Link to="/assets" activeOptions={{ exact: true }}>
        {t("assets.links.register")}
      </Link>
      {mayKeep && <Link to="/assets/new">{t("assets.links.add")}</Link>}
      {mayKeep && <Link to="/assets/import">{t("assets.links.import")}</Link>}
      <Link to="/assets/depreciation">{t("assets.links.depreciation")}</Link>
      <Link to="/assets/stocktake">{t("assets.links.stocktake")}</Link>
      <Link to="/assets/settings">{hasRole(me.data, "admin") ? t("assets.links.settingsEdit") : t("assets.links.settings")}</Link>
    </nav>
  );
}

/** A status as a short mark (in use, under repair, unused, disposed). */
export function StatusMark({ status }: { status: string }) {
  const { t } = useTranslation();
  return <span className={`asset-status ${status}`}>{t(`assets.status.${status}`, { defaultValue: status })}</span>;
}
