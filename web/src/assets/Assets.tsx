import { Link } from "@tanstack/react-router";
import { useMemo, useState, type SyntheticEvent } from "react";
import { useTranslation } from "react-i18next";
import { hasRole, useMe } from "../api/me";
import { ErrorNote } from "../components/ErrorNote";
import { useFormat } from "../format/useFormat";
import "../screens/saraban.css";
import { useAssets, useSettings, useUnitName, useUsers } from "./data";
import { baht, NO_FILTER, pageOf, selectAssets, STATUSES, type RegisterFilter, type RegisterOrder } from "./logic";
import { AssetsNav, StatusMark } from "./Nav";
import { UnitSelect } from "./PlaceFields";

const PAGE = 50;

/** ทะเบียนคุมครุภัณฑ์: every asset of the agency, searched and filtered here (the API gives the whole
 * register by number), by number or by name in Thai dictionary order, a page of 50 at a time. */
export function Assets() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const me = useMe();
  const assets = useAssets();
  const settings = useSettings();
  const users = useUsers();
  const [typed, setTyped] = useState<RegisterFilter>(NO_FILTER);
  const [filter, setFilter] = useState<RegisterFilter>(NO_FILTER);
  const [order, setOrder] = useState<RegisterOrder>("number");
  const [page, setPage] = useState(0);
  const names = useMemo(() => new Map((users.data ?? []).map((u) => [u.id, u.name])), [users.data]);
  const unitName = useUnitName();
  const inUse = useMemo(() => (assets.data ?? []).map((a) => a.unit_id), [assets.data]);
  const classes = settings.data?.classes ?? [];
  const selected = useMemo(() => selectAssets(assets.data ?? [], filter, order), [assets.data, filter, order]);
  const shown = pageOf(selected, page, PAGE);

  function search(event: SyntheticEvent) {
    event.preventDefault();
    setFilter(typed);
    setPage(0);
  }

  return (
    <section>
      <h1>{t("assets.title")}</h1>
      <AssetsNav />
      {settings.data === null && (
        <p className="card hint">
          {t("assets.noSettings")}{" "}
          {hasRole(me.data, "admin") && <Link to="/assets/settings">{t("assets.links.settingsEdit")}</Link>}
        </p>
      )}
      <form className="filters" role="search" aria-label={t("assets.register.filters")} onSubmit={search}>
        <label>
          {t("assets.register.q")}
          <input type="search" value={typed.q} maxLength={100} onChange={(e) => setTyped({ ...typed, q: e.target.value })} />
        </label>
        <label>
          {t("assets.fields.status")}
          <select value={typed.status} onChange={(e) => setTyped({ ...typed, status: e.target.value })}>
            <option value="">{t("assets.register.any")}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`assets.status.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <UnitSelect
          label={t("assets.fields.unit")}
          value={typed.unit}
          onChange={(unit) => setTyped({ ...typed, unit })}
          none={t("assets.register.any")}
          also={inUse}
        />
        <label>
          {t("assets.fields.class")}
          <select value={typed.classCode} onChange={(e) => setTyped({ ...typed, classCode: e.target.value })}>
            <option value="">{t("assets.register.any")}</option>
            {classes.map((c) => (
              <option key={c.code} value={c.code}>
                {c.code} {c.name}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">{t("assets.register.search")}</button>
      </form>
      <div className="toolbar">
        <label>
          {t("assets.register.order")}
          <select
            value={order}
            onChange={(e) => {
              setOrder(e.target.value as RegisterOrder);
              setPage(0);
            }}
          >
            <option value="number">{t("assets.register.byNumber")}</option>
            <option value="name">{t("assets.register.byName")}</option>
          </select>
        </label>
      </div>
      {assets.isPending && <p aria-busy="true">{t("app.loading")}</p>}
      {assets.isError && <ErrorNote error={assets.error} onRetry={() => void assets.refetch()} />}
      {assets.data && (
        <>
          <p className="hint" role="status">
            {t("assets.register.count", { shown: fmt.digits(selected.length), all: fmt.digits(assets.data.length) })}
          </p>
          {selected.length === 0 ? (
            <p className="empty">{assets.data.length === 0 ? t("assets.register.empty") : t("assets.register.noMatch")}</p>
          ) : (
            <div className="scroll">
              <table className="register">
                <caption className="visually-hidden">{t("assets.title")}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t("assets.fields.number")}</th>
                    <th scope="col">{t("assets.fields.description")}</th>
                    <th scope="col">{t("assets.fields.acquiredOn")}</th>
                    <th scope="col" className="money">
                      {t("assets.fields.price")}
                    </th>
                    <th scope="col">{t("assets.fields.unit")}</th>
                    <th scope="col">{t("assets.fields.location")}</th>
                    <th scope="col">{t("assets.fields.custodian")}</th>
                    <th scope="col">{t("assets.fields.status")}</th>
                  </tr>
                </thead>
                <tbody>
                  {shown.items.map((a) => (
                    <tr key={a.id}>
                      <td className="nowrap">
                        <Link to="/assets/$assetId" params={{ assetId: a.id }}>
                          {fmt.digits(a.number)}
                        </Link>
                      </td>
                      <td>{a.description}</td>
                      <td className="nowrap">{fmt.date(a.acquired_on)}</td>
                      <td className="money">{fmt.digits(baht(a.price))}</td>
                      <td>{unitName(a.unit_id)}</td>
                      <td>{a.location || "—"}</td>
                      <td>{a.custodian ? (names.get(a.custodian) ?? a.custodian) : "—"}</td>
                      <td>
                        <StatusMark status={a.status} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {shown.pages > 1 && (
            <nav className="paging" aria-label={t("assets.register.paging")}>
              <button type="button" disabled={shown.page === 0} onClick={() => setPage(shown.page - 1)}>
                {t("assets.register.previous")}
              </button>
              <span>{t("assets.register.page", { page: fmt.digits(shown.page + 1), pages: fmt.digits(shown.pages) })}</span>
              <button type="button" disabled={shown.page >= shown.pages - 1} onClick={() => setPage(shown.page + 1)}>
                {t("assets.register.next")}
              </button>
            </nav>
          )}
        </>
      )}
    </section>
  );
}

