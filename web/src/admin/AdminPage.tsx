import { Link } from "@tanstack/react-router";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { hasRole, useMe } from "../api/me";
import { ErrorNote } from "../components/ErrorNote";
import "../screens/saraban.css";
import "./admin.css";

const SECTIONS = [
  ["/admin/users", "users"],
  ["/admin/delegations", "delegations"],
  ["/admin/route-templates", "templates"],
  ["/admin/letterhead", "letterhead"],
  ["/admin/registers", "registers"],
  ["/admin/signing-keys", "keys"],
] as const;

/** The frame of an administrator's screen: its heading, the section links, and for anyone who is not the
 * agency's administrator a plain refusal (the API refuses them too) with the way to their own settings. */
export function AdminPage({ title, children }: { title: string; children: ReactNode }) {
  const { t } = useTranslation();
  const me = useMe();
  if (me.isPending) return <p aria-busy="true">{t("app.loading")}</p>;
  if (me.isError) return <ErrorNote error={me.error} onRetry={() => void me.refetch()} />;
  if (!hasRole(me.data, "admin")) {
    return (
      <section className="admin">
        <h1>{t("admin.title")}</h1>
        <div className="card refused" role="alert">
          <p>{t("admin.refused")}</p>
          <p>
            <Link to="/admin/me">{t("admin.me.link")}</Link>
          </p>
        </div>
      </section>
    );
  }
  return (
    <section className="admin">
      <nav className="admin-nav" aria-label={t("admin.sections")}>
        <Link to="/admin" activeOptions={{ exact: true }}>
          {t("admin.overview")}
        </Link>
        {SECTIONS.map(([to, key]) => (
          <Link key={to} to={to}>
            {t(`admin.${key}.nav`)}
          </Link>
        ))}
        <Link to="/admin/me">{t("admin.me.nav")}</Link>
      </nav>
      <h1>{title}</h1>
      {children}
    </section>
  );
}
