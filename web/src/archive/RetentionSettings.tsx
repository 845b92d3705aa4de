import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type SyntheticEvent } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../api/client";
import { ErrorNote } from "../components/ErrorNote";
import { useFormat } from "../format/useFormat";
import { ARCHIVE, useSettings, type RetentionClass, type Settings } from "./api";

interface ClassDraft {
  code: string;
  name: string;
  years: string;
  permanent: boolean;
  rule: string;
}

function toDraft(c: RetentionClass): ClassDraft {
  return { code: c.code, name: c.name, years: c.years == null ? "" : String(c.years), permanent: c.permanent, rule: c.rule };
}

/** ประเภทและอายุการเก็บ: the agency's retention classes (the regulation's periods by default), and the
 * procedure's days; changed by the agency's admin or records officer (PUT /v1/archive/settings). */
export function RetentionSettings({ mayEdit }: { mayEdit: boolean }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const settings = useSettings();
  const [draft, setDraft] = useState<{ classes: ClassDraft[]; answerDays: string; transferYears: string } | null>(null);
  const [said, setSaid] = useState("");
  const queries = useQueryClient();
  const save = useMutation({
    mutationFn: async (body: Settings) => unwrap(await api.PUT("/v1/archive/settings", { body })),
    onSuccess: async () => {
      setDraft(null);
      setSaid(t("archive.classes.saved"));
      await queries.invalidateQueries({ queryKey: [ARCHIVE, "settings"] });
    },
  });

  function submit(event: SyntheticEvent) {
    event.preventDefault();
    if (!draft || !settings.data) return;
    setSaid("");
    save.mutate({
      ...settings.data,
      archives_answer_days: Number(draft.answerDays),
      transfer_years: Number(draft.transferYears),
      classes: draft.classes.map((c) => ({
        code: c.code.trim(),
        name: c.name.trim(),
        permanent: c.permanent,
        years: c.permanent || !c.years.trim() ? null : Number(c.years),
        rule: c.rule.trim(),
      })),
    });
  }

  function change(index: number, patch: Partial<ClassDraft>) {
    if (!draft) return;
    setDraft({ ...draft, classes: draft.classes.map((c, i) => (i === index ? { ...c, ...patch } : c)) });
  }

  const data = settings.data;
  return (
    <div className="archive-section">
      <h2 id="classes-title">{t("archive.classes.title")}</h2>
      {settings.isPending && <p aria-busy="true">{t("app.loading")}</p>}
      {settings.isError && <ErrorNote error={settings.error} onRetry={() => void settings.refetch()} />}
      {data && !draft && (
        <>
          <div className="scroll" tabIndex={0} role="region" aria-label={t("archive.scroll")}>
            <table className="register">
              <caption className="visually-hidden">{t("archive.classes.title")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("archive.classes.code")}</th>
                  <th scope="col">{t("archive.classes.name")}</th>
                  <th scope="col">{t("archive.classes.years")}</th>
                  <th scope="col">{t("archive.classes.rule")}</th>
                </tr>
              </thead>
              <tbody>
                {data.classes.map((c) => (
                  <tr key={c.code}>
                    <td className="nowrap">{c.code}</td>
                    <td>{c.name}</td>
                    <td className="nowrap">
                      {c.permanent || c.years == null ? t("archive.classes.forever") : t("archive.classes.yearsShort", { years: fmt.digits(c.years) })}
                    </td>
                    <td>{c.rule}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className="hint">
            {t("archive.classes.procedure", {
              days: fmt.digits(data.survey_days),
              answer: fmt.digits(data.archives_answer_days),
              transfer: fmt.digits(data.transfer_years),
            })}
          </p>
          <p role="status" className="said">
            {said}
          </p>
          {mayEdit ? (
            <button
              type="button"
              onClick={() =>
                setDraft({
                  classes: data.classes.map(toDraft),
                  answerDays: String(data.archives_answer_days),
                  transferYears: String(data.transfer_years),
                })
              }
            >
              {t("archive.classes.edit")}
            </button>
          ) : (
            <p className="hint">{t("archive.classes.adminOnly")}</p>
          )}
        </>
      )}
      {draft && (
        <form onSubmit={submit} aria-labelledby="classes-title">
          <div className="scroll" tabIndex={0} role="region" aria-label={t("archive.scroll")}>
            <table className="register">
              <caption className="visually-hidden">{t("archive.classes.editing")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("archive.classes.code")}</th>
                  <th scope="col">{t("archive.classes.name")}</th>
                  <th scope="col">{t("archive.classes.years")}</th>
                  <th scope="col">{t("archive.classes.permanent")}</th>
                  <th scope="col">{t("archive.classes.rule")}</th>
                  <th scope="col">{t("archive.columns.manage")}</th>
                </tr>
              </thead>
              <tbody>
                {draft.classes.map((c, i) => (
                  <tr key={i}>
                    <td>
                      <input
                        aria-label={t("archive.classes.codeOf", { n: i + 1 })}
                        required
                        pattern="[0-9A-Za-z_.\-]{1,30}"
                        value={c.code}
                        onChange={(e) => change(i, { code: e.target.value })}
                      />
                    </td>
                    <td>
                      <input aria-label={t("archive.classes.nameOf", { n: i + 1 })} required value={c.name} onChange={(e) => change(i, { name: e.target.value })} />
                    </td>
                    <td>
                      <input
                        type="number"
                        min={1}
                        max={100}
                        aria-label={t("archive.classes.yearsOf", { n: i + 1 })}
                        disabled={c.permanent}
                        required={!c.permanent}
                        value={c.permanent ? "" : c.years}
                        onChange={(e) => change(i, { years: e.target.value })}
                      />
                    </td>
                    <td>
                      <input
                        type="checkbox"
                        aria-label={t("archive.classes.permanentOf", { n: i + 1 })}
                        checked={c.permanent}
                        onChange={(e) => change(i, { permanent: e.target.checked })}
                      />
                    </td>
                    <td>
                      <input aria-label={t("archive.classes.ruleOf", { n: i + 1 })} value={c.rule} onChange={(e) => change(i, { rule: e.target.value })} />
                    </td>
                    <td>
                      <button
                        type="button"
                        disabled={draft.classes.length === 1}
                        onClick={() => setDraft({ ...draft, classes: draft.classes.filter((_, j) => j !== i) })}
                      >
                        {t("archive.classes.remove")}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="toolbar">
            <button
              type="button"
              onClick={() => setDraft({ ...draft, classes: [...draft.classes, { code: "", name: "", years: "10", permanent: false, rule: "" }] })}
            >
              {t("archive.classes.add")}
            </button>
            <label>
              {t("archive.classes.answerDays")}
              <input type="number" min={1} max={366} required value={draft.answerDays} onChange={(e) => setDraft({ ...draft, answerDays: e.target.value })} />
            </label>
            <label>
              {t("archive.classes.transferYears")}
              <input type="number" min={1} max={100} required value={draft.transferYears} onChange={(e) => setDraft({ ...draft, transferYears: e.target.value })} />
            </label>
          </div>
          {save.isError && <ErrorNote error={save.error} />}
          <div className="actions">
            <button type="submit" className="primary" disabled={save.isPending}>
              {save.isPending ? t("archive.working") : t("archive.classes.save")}
            </button>
            <button type="button" onClick={() => setDraft(null)}>
              {t("archive.classes.cancel")}
            </button>
          </div>
        </form>
      )}
    </div>
  );
}
