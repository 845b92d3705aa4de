import { Link } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import { AdminPage } from "./AdminPage";

const CARDS = [
  ["/admin/users", "users"],
  ["/admin/delegations", "delegations"],
  ["/admin/route-templates", "templates"],
  ["/admin/letterhead", "letterhead"],
  ["/admin/registers", "registers"],
  ["/admin/signing-keys", "keys"],
  ["/admin/me", "me"],
] as const;

/** The agency administrator's overview: what each screen is for, and the way to it. */
export function Admin() {
  const { t } = useTranslation();
  return (
    <AdminPage title={t("admin.title")}>
      <p className="hint">{t("admin.intro")}</p>
      <ul className="admin-grid">
        {CARDS.map(([to, key]) => (
          <li key={to}>
            <div className="card">
              <h2>
                <Link to={to}>{t(`admin.${key}.title`)}</Link>
              </h2>
              <p>{t(`admin.${key}.about`)}</p>
            </div>
          </li>
        ))}
      </ul>
    </AdminPage>
  );
}
