import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ErrorNote } from "../components/ErrorNote";
import { useFormat } from "../format/useFormat";
import { AdminPage } from "./AdminPage";
import { useUsers } from "./api";
import { findUsers, orderedRoles, ROLES, roleCounts } from "./logic";

/** The agency's users and their roles. Users and roles come from onboarding and the identity provider:
 * the API has no call to change a role, so this screen shows them and says where they are changed. */
export function Users() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const users = useUsers();
  const [typed, setTyped] = useState("");
  const [role, setRole] = useState("");
  const all = users.data ?? [];
  const shown = findUsers(all, typed, role);
  const counts = roleCounts(all);
  return (
    <AdminPage title={t("admin.users.title")}>
      <p className="note">{t("admin.users.readOnly")}</p>
      {users.isPending && <p aria-busy="true">{t("app.loading")}</p>}
      {users.isError && <ErrorNote error={users.error} onRetry={() => void users.refetch()} />}
      {users.data && (
        <>
          <ul className="stats" aria-label={t("admin.users.counts")}>
            <li>{t("admin.users.total", { count: all.length, n: fmt.digits(all.length) })}</li>
            {ROLES.map((r) => (
              <li key={r}>
                {t(`admin.roles.${r}`)}: {fmt.digits(counts[r] ?? 0)}
              </li>
            ))}
          </ul>
          <div className="toolbar" role="search" aria-label={t("admin.users.search")}>
            <label>
              {t("admin.users.find")}
              <input type="search" value={typed} maxLength={100} onChange={(e) => setTyped(e.target.value)} />
            </label>
            <label>
              {t("admin.users.role")}
              <select value={role} onChange={(e) => setRole(e.target.value)}>
                <option value="">{t("admin.users.anyRole")}</option>
                {ROLES.map((r) => (
                  <option key={r} value={r}>
                    {t(`admin.roles.${r}`)}
                  </option>
                ))}
              </select>
            </label>
          </div>
          {shown.length === 0 ? (
            <p className="empty">{t("admin.users.none")}</p>
          ) : (
            <div className="scroll">
              <table className="register">
                <caption className="visually-hidden">{t("admin.users.caption")}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t("admin.users.name")}</th>
                    <th scope="col">{t("admin.users.username")}</th>
                    <th scope="col">{t("admin.users.position")}</th>
                    <th scope="col">{t("admin.users.units")}</th>
                    <th scope="col">{t("admin.users.roles")}</th>
                    <th scope="col">{t("admin.users.signing")}</th>
                  </tr>
                </thead>
                <tbody>
                  {shown.map((u) => (
                    <tr key={u.id}>
                      <th scope="row">{u.name}</th>
                      <td className="nowrap">{u.username}</td>
                      <td>{u.position || "—"}</td>
                      <td className="nowrap">{u.units.join(", ") || "—"}</td>
                      <td>
                        {orderedRoles(u.roles).map((r) => (
                          <span key={r} className={`role ${r}`}>
                            {t(`admin.roles.${r}`, { defaultValue: r })}
                          </span>
                        ))}
                      </td>
                      <td>{u.can_sign ? t("admin.users.canSign") : t("admin.users.cannotSign")}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </AdminPage>
  );
}
