import { Link, Outlet, useNavigate, useRouterState } from "@tanstack/react-router";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { hasRole, useMe } from "../api/me";
import { signOut } from "../auth/signIn";
import { useSession } from "../auth/useSession";
import { Bell } from "../notifications/Bell";
import { LiveContext } from "../push/LiveContext";
import { useLive } from "../push/useLive";

export function Layout() {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const navigate = useNavigate();
  const path = useRouterState({ select: (s) => s.location.pathname });
  const live = useLive();
  const me = useMe();
  const saraban = hasRole(me.data, "saraban");
  useEffect(() => {
    if (!session && path !== "/sign-in") void navigate({ to: "/sign-in" });
  }, [session, path, navigate]);
  return (
    <>
      <a className="skip" href="#main">
        {t("app.skip")}
      </a>
      <header className="bar">
        <span className="brand">{t("app.name")}</span>
        {session && (
          <nav aria-label={t("nav.main")}>
            <Link to="/">{t("nav.inbox")}</Link>
            <Link to="/letters/new" search={{}}>{t("letter.nav")}</Link>
            {saraban && <Link to="/registers/incoming/new">{t("incoming.nav")}</Link>}
            {saraban && <Link to="/exchange/incoming">{t("queue.nav")}</Link>}
            {hasRole(me.data, "saraban", "admin", "records") && <Link to="/registers">{t("registers.nav")}</Link>}
            <Link to="/bookings">{t("nav.booking")}</Link>
            <Link to="/meetings">{t("nav.meetings")}</Link>
            <Link to="/archive">{t("nav.archive")}</Link>
            <Link to="/assets">{t("nav.assets")}</Link>
            {hasRole(me.data, "admin") && <Link to="/admin">{t("nav.admin")}</Link>}
          </nav>
        )}
        <span className="spacer" />
        <label className="language">
          {t("app.language")}{" "}
          <select value={i18n.language} onChange={(e) => void i18n.changeLanguage(e.target.value)}>
            <option value="th">ไทย</option>
            <option value="en">English</option>
          </select>
        </label>
        {session && (
          <>
            <Bell live={live} />
            <Link to="/admin/me" className="who" title={t("nav.mySettings")}>
              {session.username}
              <span className="visually-hidden"> ({t("nav.mySettings")})</span>
            </Link>
            <button type="button" onClick={signOut}>
              {t("app.signOut")}
            </button>
          </>
        )}
      </header>
      <main id="main">
        <LiveContext value={live}>
          <Outlet />
        </LiveContext>
      </main>
    </>
  );
}
