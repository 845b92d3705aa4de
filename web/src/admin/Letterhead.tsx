import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type SyntheticEvent } from "react";
import { useTranslation } from "react-i18next";
import { api, ApiError, unwrap } from "../api/client";
import type { components } from "../api/schema";
import { ErrorNote } from "../components/ErrorNote";
import { AdminPage } from "./AdminPage";
import { emblemType, putEmblem, useUnits } from "./api";
import { letterheadCommand, letterheadFields, type LetterheadFields } from "./letterhead";

type Letterhead = components["schemas"]["Letterhead"];
type Unit = components["schemas"]["UnitSummary"];
const KEY = ["admin", "letterhead"];

/** What the agency's letters carry: its address and contact lines, each unit's contact lines, and the
 * emblem (ตราครุฑ or the agency's own), checked by the API by its bytes. */
export function LetterheadScreen() {
  const { t } = useTranslation();
  const head = useQuery({ queryKey: KEY, queryFn: async () => unwrap(await api.GET("/v1/agency/letterhead")) });
  const units = useUnits();
  return (
    <AdminPage title={t("admin.letterhead.title")}>
      <p className="hint">{t("admin.letterhead.about")}</p>
      {(head.isPending || units.isPending) && <p aria-busy="true">{t("app.loading")}</p>}
      {head.isError && <ErrorNote error={head.error} onRetry={() => void head.refetch()} />}
      {units.isError && <ErrorNote error={units.error} onRetry={() => void units.refetch()} />}
      {head.data && units.data && (
        <>
          <LetterheadForm head={head.data} unitIds={unitIdsOf(head.data, units.data)} units={units.data} />
          <EmblemForm digest={head.data.emblem} />
        </>
      )}
    </AdminPage>
  );
}

/** The agency's units in the directory's order (parents first), and any with contact lines kept from before. */
function unitIdsOf(head: Letterhead, units: Unit[]): string[] {
  return [...new Set([...units.map((u) => u.id), ...head.units.map((u) => u.unit_id)])];
}

function LetterheadForm({ head, unitIds, units }: { head: Letterhead; unitIds: string[]; units: Unit[] }) {
  const { t } = useTranslation();
  const unitName = (unitId: string) => units.find((u) => u.id === unitId)?.name ?? unitId;
  const id = useId();
  const queries = useQueryClient();
  const [fields, setFields] = useState<LetterheadFields>(() => letterheadFields(head, unitIds));
  const [said, setSaid] = useState("");
  const save = useMutation({
    mutationFn: async (body: components["schemas"]["LetterheadCommand"]) => unwrap(await api.PUT("/v1/agency/letterhead", { body })),
    onSuccess: (answer) => {
      queries.setQueryData(KEY, answer);
      setSaid(t("admin.letterhead.saved"));
    },
  });
  function submit(event: SyntheticEvent) {
    event.preventDefault();
    setSaid("");
    save.mutate(letterheadCommand(fields));
  }
  return (
    <form className="card" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t("admin.letterhead.formTitle")}</h2>
      <fieldset>
        <legend>{t("admin.letterhead.address")}</legend>
        {fields.address.map((line, index) => (
          <label key={index}>
            {t("admin.letterhead.addressLine", { n: index + 1 })}
            <input
              value={line}
              maxLength={200}
              onChange={(e) => setFields({ ...fields, address: fields.address.map((l, i) => (i === index ? e.target.value : l)) })}
            />
          </label>
        ))}
      </fieldset>
      <div className="form-grid">
        <label>
          {t("admin.letterhead.telephone")}
          <input value={fields.telephone} maxLength={200} onChange={(e) => setFields({ ...fields, telephone: e.target.value })} />
        </label>
        <label>
          {t("admin.letterhead.fax")}
          <input value={fields.fax} maxLength={200} onChange={(e) => setFields({ ...fields, fax: e.target.value })} />
        </label>
        <label>
          {t("admin.letterhead.email")}
          <input type="email" value={fields.email} maxLength={200} onChange={(e) => setFields({ ...fields, email: e.target.value })} />
        </label>
      </div>
      <fieldset>
        <legend>{t("admin.letterhead.units")}</legend>
        <p className="hint">{t("admin.letterhead.unitsHint")}</p>
        <div className="form-grid">
          {fields.units.map((unit, index) => (
            <label key={unit.unitId}>
              {t("admin.letterhead.unit", { unit: unitName(unit.unitId) })}
              <textarea
                rows={3}
                value={unit.lines}
                onChange={(e) => setFields({ ...fields, units: fields.units.map((u, i) => (i === index ? { ...u, lines: e.target.value } : u)) })}
              />
            </label>
          ))}
        </div>
      </fieldset>
      {save.isError && <ErrorNote error={save.error} />}
      <div className="actions">
        <button type="submit" disabled={save.isPending}>
          {save.isPending ? t("admin.saving") : t("admin.letterhead.save")}
        </button>
      </div>
      <p role="status" className="said">
        {said}
      </p>
    </form>
  );
}

function EmblemForm({ digest }: { digest: string | null }) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const queries = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const [said, setSaid] = useState("");
  const [wrongType, setWrongType] = useState(false);
  const upload = useMutation({
    mutationFn: async ({ image, type }: { image: File; type: string }) => (await putEmblem(image, type)) as Letterhead,
    onSuccess: (answer) => {
      queries.setQueryData(KEY, answer);
      setSaid(t("admin.emblem.saved"));
    },
  });
  function submit(event: SyntheticEvent) {
    event.preventDefault();
    setSaid("");
    if (!file) return;
    const type = emblemType(file);
    setWrongType(type === null);
    if (type) upload.mutate({ image: file, type });
  }
  // The API's Thai words say that the image was refused; its English detail says what was wrong with it.
  const detail = upload.error instanceof ApiError && i18n.language === "th" ? upload.error.problem.detail : undefined;
  return (
    <form className="card" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t("admin.emblem.title")}</h2>
      <p className="hint">{t("admin.emblem.about")}</p>
      <p>
        {digest ? (
          <>
            {t("admin.emblem.current")} <span className="mono">{digest.slice(0, 16)}…</span>
          </>
        ) : (
          t("admin.emblem.noneYet")
        )}
      </p>
      <div className="file-pick">
        <input
          id={`${id}-file`}
          type="file"
          accept="image/png,image/jpeg,image/svg+xml,.png,.jpg,.jpeg,.svg"
          onChange={(e) => {
            const chosen = e.target.files?.[0] ?? null;
            setFile(chosen);
            setPreview(null);
            // A preview of the chosen image, read here (a data address: nothing to revoke later).
            if (chosen && chosen.size <= 2 * 1024 * 1024) {
              const reader = new FileReader();
              reader.addEventListener("load", () => setPreview(typeof reader.result === "string" ? reader.result : null));
              reader.readAsDataURL(chosen);
            }
            setSaid("");
            setWrongType(false);
            upload.reset();
          }}
        />
        <label htmlFor={`${id}-file`} className="button">
          {t("admin.emblem.choose")}
        </label>
        <span>{file ? file.name : t("admin.emblem.noFile")}</span>
      </div>
      {file && preview && (
        <div className="emblem-preview">
          <img src={preview} alt={t("admin.emblem.preview", { name: file.name })} onError={() => setPreview(null)} />
          <span className="hint">{t("admin.emblem.previewHint")}</span>
        </div>
      )}
      {wrongType && (
        <p role="alert" className="error">
          {t("admin.emblem.wrongType")}
        </p>
      )}
      {upload.isError && <ErrorNote error={upload.error} />}
      {detail && <p className="hint">{t("admin.emblem.detail", { detail })}</p>}
      <div className="actions">
        <button type="submit" disabled={!file || upload.isPending}>
          {upload.isPending ? t("admin.emblem.sending") : t("admin.emblem.send")}
        </button>
      </div>
      <p role="status" className="said">
        {said}
      </p>
    </form>
  );
}
