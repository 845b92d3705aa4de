import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate } from "@tanstack/react-router";
import { useState, type SyntheticEvent } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../api/client";
import { hasRole, useMe } from "../api/me";
import { ErrorNote } from "../components/ErrorNote";
import { buddhistYear } from "../format/buddhistDate";
import { useFormat } from "../format/useFormat";
import "../screens/saraban.css";
import "./archive.css";
import { ARCHIVE, useDestructionLists } from "./api";
import { ArchiveNav } from "./ArchiveNav";

/** /archive/destruction: the yearly บัญชีหนังสือขอทำลาย (แบบที่ 25), newest first, and the survey. */
export function Destruction() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const me = useMe();
  const lists = useDestructionLists();
  const queries = useQueryClient();
  const navigate = useNavigate();
  const thisYear = buddhistYear(new Date());
  const [year, setYear] = useState(String(thisYear));
  const survey = useMutation({
    mutationFn: async (y: number) => unwrap(await api.POST("/v1/archive/destruction-lists", { body: { year: y } })),
    onSuccess: async (made) => {
      await queries.invalidateQueries({ queryKey: [ARCHIVE, "destruction"] });
      await navigate({ to: "/archive/destruction/$year", params: { year: String(made.year) } });
    },
  });
  function submit(event: SyntheticEvent) {
    event.preventDefault();
    survey.mutate(Number(year));
  }
  return (
    <section>
      <h1>{t("archive.destruction.title")}</h1>
      <ArchiveNav />
      <p className="hint">{t("archive.destruction.intro")}</p>
      {hasRole(me.data, "records") && (
        <form className="card archive-section" aria-labelledby="survey-title" onSubmit={submit}>
          <h2 id="survey-title">{t("archive.destruction.survey")}</h2>
          <p className="hint">{t("archive.destruction.surveyHint")}</p>
          <div className="toolbar">
            <label>
              {t("archive.destruction.surveyYear")}
              <input
                type="number"
                inputMode="numeric"
                min={2400}
                max={thisYear}
                required
                value={year}
                onChange={(e) => setYear(e.target.value)}
              />
            </label>
            <button type="submit" className="primary" disabled={survey.isPending}>
              {survey.isPending ? t("archive.working") : t("archive.destruction.surveySubmit")}
            </button>
          </div>
          {survey.isError && <ErrorNote error={survey.error} />}
        </form>
      )}
      <h2>{t("archive.destruction.lists")}</h2>
      {lists.isPending && <p aria-busy="true">{t("app.loading")}</p>}
      {lists.isError && <ErrorNote error={lists.error} onRetry={() => void lists.refetch()} />}
      {lists.data &&
        (lists.data.length === 0 ? (
          <p className="empty">{t("archive.destruction.none")}</p>
        ) : (
          <div className="scroll" tabIndex={0} role="region" aria-label={t("archive.scroll")}>
            <table className="register">
              <caption className="visually-hidden">{t("archive.destruction.lists")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("archive.destruction.year")}</th>
                  <th scope="col">{t("archive.destruction.state")}</th>
                  <th scope="col">{t("archive.destruction.rows")}</th>
                  <th scope="col">{t("archive.destruction.toDestroy")}</th>
                  <th scope="col">{t("archive.destruction.extended")}</th>
                  <th scope="col">{t("archive.destruction.keptByArchives")}</th>
                  <th scope="col">{t("archive.destruction.destroyed")}</th>
                </tr>
              </thead>
              <tbody>
                {lists.data.map((l) => (
                  <tr key={l.year}>
                    <td className="nowrap">
                      <Link to="/archive/destruction/$year" params={{ year: String(l.year) }}>
                        {t("archive.destruction.listOf", { year: fmt.digits(l.year) })}
                      </Link>
                    </td>
                    <td>{l.state_th}</td>
                    <td className="nowrap">{fmt.digits(l.rows)}</td>
                    <td className="nowrap">{fmt.digits(l.to_destroy)}</td>
                    <td className="nowrap">{fmt.digits(l.extended)}</td>
                    <td className="nowrap">{fmt.digits(l.kept_by_archives)}</td>
                    <td className="nowrap">{fmt.digits(l.destroyed)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
    </section>
  );
}
