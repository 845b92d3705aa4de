import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../api/client";
import { ErrorNote } from "../components/ErrorNote";
import { useFormat } from "../format/useFormat";
import "../screens/saraban.css";
import { useAssets, useUnitName } from "./data";
import { baht, fiscalYearOf } from "./logic";
import { AssetsNav } from "./Nav";

/** ค่าเสื่อมราคาประจำปีงบประมาณ: every asset held in the fiscal year, straight line by days held down to
 * the residual the settings give, with the year's charge and the book value at 30 September. */
export function Depreciation() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const thisYear = fiscalYearOf(new Date());
  const [year, setYear] = useState(thisYear);
  const report = useQuery({
    queryKey: ["asset-depreciation", year],
    queryFn: async () => unwrap(await api.GET("/v1/assets-depreciation", { params: { query: { fiscal_year: year } } })),
    placeholderData: keepPreviousData,
  });
  // The report names no unit: each row's is the register's (by its number), named as the directory names it.
  const assets = useAssets();
  const unitName = useUnitName();
  const unitOf = useMemo(() => new Map((assets.data ?? []).map((a) => [a.number, a.unit_id])), [assets.data]);
  const years = Array.from({ length: 11 }, (_, i) => thisYear - i);
  const money = (amount: string) => fmt.digits(baht(amount));
  return (
    <section>
      <h1>{t("assets.depreciation.title")}</h1>
      <AssetsNav />
      <div className="toolbar">
        <label>
          {t("assets.depreciation.year")}
          <select value={year} onChange={(e) => setYear(Number(e.target.value))}>
            {years.map((y) => (
              <option key={y} value={y}>
                {t("assets.fiscalYear", { year: fmt.digits(y) })}
              </option>
            ))}
          </select>
        </label>
      </div>
      <p className="hint">{t("assets.depreciation.hint")}</p>
      {report.isPending && <p aria-busy="true">{t("app.loading")}</p>}
      {report.isError && <ErrorNote error={report.error} onRetry={() => void report.refetch()} />}
      {report.data &&
        (report.data.rows.length === 0 ? (
          <p className="empty">{t("assets.depreciation.empty", { year: fmt.digits(report.data.fiscal_year) })}</p>
        ) : (
          <div className="scroll">
            <table className="register" aria-busy={report.isFetching}>
              <caption>{t("assets.depreciation.caption", { year: fmt.digits(report.data.fiscal_year) })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("assets.fields.number")}</th>
                  <th scope="col">{t("assets.fields.description")}</th>
                  <th scope="col">{t("assets.fields.unit")}</th>
                  <th scope="col" className="money">
                    {t("assets.depreciation.cost")}
                  </th>
                  <th scope="col" className="money">
                    {t("assets.depreciation.life")}
                  </th>
                  <th scope="col" className="money">
                    {t("assets.depreciation.thisYear")}
                  </th>
                  <th scope="col" className="money">
                    {t("assets.depreciation.accumulated")}
                  </th>
                  <th scope="col" className="money">
                    {t("assets.depreciation.net")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {report.data.rows.map((r) => (
                  <tr key={r.number}>
                    <td className="nowrap">{fmt.digits(r.number)}</td>
                    <td>{r.description}</td>
                    <td>{unitName(unitOf.get(r.number))}</td>
                    <td className="money">{money(r.cost)}</td>
                    <td className="money">{fmt.digits(r.life_years)}</td>
                    <td className="money">{money(r.this_year)}</td>
                    <td className="money">{money(r.accumulated)}</td>
                    <td className="money">{money(r.net)}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <td colSpan={5}>{t("assets.depreciation.total", { rows: fmt.digits(report.data.rows.length) })}</td>
                  <td className="money">{money(report.data.total_this_year)}</td>
                  <td />
                  <td className="money">{money(report.data.total_net)}</td>
                </tr>
              </tfoot>
            </table>
          </div>
        ))}
    </section>
  );
}
