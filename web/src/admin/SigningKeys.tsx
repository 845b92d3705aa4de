import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../api/client";
import { ErrorNote } from "../components/ErrorNote";
import { useFormat } from "../format/useFormat";
import { AdminPage } from "./AdminPage";
import { useUsers } from "./api";
import { keyAttention } from "./logic";

/** The agency's signer keys: whose, their state, whether the CA has certified them, their use, and the
 * keys being retired (a key is disabled when its holder may no longer sign, then deleted). */
export function SigningKeys() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const users = useUsers();
  const inventory = useQuery({
    queryKey: ["admin", "signing-keys"],
    queryFn: async () => unwrap(await api.GET("/v1/signing-keys")),
  });
  const person = (id: string) => users.data?.find((u) => u.id === id);
  const keys = inventory.data?.keys ?? [];
  const attention = keys.filter((k) => keyAttention(k) !== null).length;
  return (
    <AdminPage title={t("admin.keys.title")}>
      <p className="hint">{t("admin.keys.about")}</p>
      <p className="note">{t("admin.keys.noEndDate")}</p>
      {inventory.isPending && <p aria-busy="true">{t("app.loading")}</p>}
      {inventory.isError && <ErrorNote error={inventory.error} onRetry={() => void inventory.refetch()} />}
      {inventory.data && (
        <>
          <ul className="stats" aria-label={t("admin.keys.counts")}>
            <li>{t("admin.keys.total", { n: fmt.digits(keys.length) })}</li>
            {Object.entries(inventory.data.counts).map(([state, n]) => (
              <li key={state}>
                {t(`admin.keys.states.${state}`, { defaultValue: state })}: {fmt.digits(n)}
              </li>
            ))}
            <li className={attention ? "attention" : "ok"}>{t("admin.keys.attention", { n: fmt.digits(attention) })}</li>
          </ul>
          {keys.length === 0 ? (
            <p className="empty">{t("admin.keys.none")}</p>
          ) : (
            <div className="scroll">
              <table className="register">
                <caption className="visually-hidden">{t("admin.keys.caption")}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t("admin.keys.holder")}</th>
                    <th scope="col">{t("admin.keys.state")}</th>
                    <th scope="col">{t("admin.keys.certificate")}</th>
                    <th scope="col">{t("admin.keys.created")}</th>
                    <th scope="col">{t("admin.keys.lastUsed")}</th>
                    <th scope="col">{t("admin.keys.signed")}</th>
                    <th scope="col">{t("admin.keys.retirement")}</th>
                  </tr>
                </thead>
                <tbody>
                  {keys.map((k) => {
                    const who = person(k.user_id);
                    const need = keyAttention(k);
                    return (
                      <tr key={k.user_id}>
                        <th scope="row">
                          {who?.name ?? t("admin.keys.unknownHolder")}
                          <div className="detail">{who?.position ?? <span className="mono">{k.user_id}</span>}</div>
                        </th>
                        <td>
                          {t(`admin.keys.states.${k.state}`)}
                          <div className="detail">
                            {k.key_spec ?? "—"} · {t(`admin.keys.origins.${k.origin}`)}
                          </div>
                        </td>
                        <td>
                          <span className={k.certificate === "awaiting" ? "attention" : undefined}>{t(`admin.keys.certificates.${k.certificate}`)}</span>
                          {need && need !== "awaiting" && <div className="detail attention">{t(`admin.keys.needs.${need}`)}</div>}
                        </td>
                        <td className="nowrap">{fmt.date(k.created_at)}</td>
                        <td className="nowrap">{k.last_used_at ? fmt.dateTime(k.last_used_at) : t("admin.keys.neverUsed")}</td>
                        <td>
                          {fmt.digits(k.signed_count)}
                          {k.earlier_keys > 0 && <div className="detail">{t("admin.keys.earlier", { n: fmt.digits(k.earlier_keys) })}</div>}
                        </td>
                        <td className="nowrap">
                          {k.deletion_date
                            ? t("admin.keys.deletes", { date: fmt.date(k.deletion_date) })
                            : k.retire_at
                              ? t("admin.keys.retires", { date: fmt.date(k.retire_at) })
                              : "—"}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </AdminPage>
  );
}
