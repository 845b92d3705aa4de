import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type SyntheticEvent } from "react";
import { useTranslation } from "react-i18next";
import { api, ApiError, unwrap } from "../api/client";
import { useMe } from "../api/me";
import type { components } from "../api/schema";
import { download } from "../api/transfer";
import { ErrorNote } from "../components/ErrorNote";
import { useFormat } from "../format/useFormat";
import { thaiSorted } from "../format/thai";
import { useUsers, type DocumentView } from "./api";

type Handling = components["schemas"]["Handling"];
type Assignment = components["schemas"]["Assignment-Output"];
type Decision = "acknowledge" | "act" | "agree" | "approve";
const DECISIONS: Decision[] = ["acknowledge", "act", "agree", "approve"];

const path = (documentId: string) => ({ params: { path: { document_id: documentId } } });

/** Whether an assignment is the caller's to acknowledge or report: to them, to one of their units, or to
 * someone they act for now (routing's holders_for; the API decides, this only offers the buttons to the
 * people it will accept them from). */
export function isMine(assignment: Assignment, userId: string, unitIds: readonly string[], actingFor: readonly string[] = []): boolean {
  return (
    assignment.to === `user:${userId}` ||
    unitIds.some((unit) => assignment.to === `unit:${unit}`) ||
    actingFor.some((user) => assignment.to === `user:${user}`)
  );
}

/** The people the caller acts for now: their delegations still in force. */
export function actingFor(delegations: readonly { from_user: string; until: string | null }[], now = Date.now()): string[] {
  return delegations.filter((d) => d.until === null || Date.parse(d.until) > now).map((d) => d.from_user);
}

/** An incoming letter's handling (ระเบียบงานสารบรรณ: the เกษียน on a registered incoming letter, then the
 * work it is assigned as): its endorsements and assignments, the register's การปฏิบัติ, and what the
 * caller may do: endorse and assign (the saraban officer, executives, and whoever it was endorsed to),
 * acknowledge or report an assignment that is theirs. Shown only for a letter in an incoming book. */
export function HandlingCard({ document }: { document: DocumentView }) {
  const { t, i18n } = useTranslation();
  const th = i18n.language === "th";
  const fmt = useFormat();
  const me = useMe();
  const documentId = document.id;
  const handling = useQuery({
    queryKey: ["handling", documentId],
    queryFn: async () => unwrap(await api.GET("/v1/documents/{document_id}/handling", path(documentId))),
    // 409: not a registered incoming letter; nothing to handle, and the card stays away.
    retry: (count, error) => !(error instanceof ApiError && error.status === 409) && count < 1,
  });
  const [downloading, setDownloading] = useState(false);
  const [downloadError, setDownloadError] = useState<unknown>(null);
  if (handling.isError && handling.error instanceof ApiError && handling.error.status === 409) return null;
  if (handling.isPending) return <p aria-busy="true">{t("app.loading")}</p>;
  if (handling.isError) return <ErrorNote error={handling.error} onRetry={() => void handling.refetch()} />;
  const view = handling.data;
  const userId = me.data?.user_id ?? "";
  const myUnits = (me.data?.units ?? []).map((u) => u.id);
  const forOthers = actingFor(me.data?.delegations ?? []);

  async function endorsedCopy() {
    setDownloading(true);
    setDownloadError(null);
    try {
      await download(`/v1/documents/${encodeURIComponent(documentId)}/endorsed.pdf`, "application/pdf", `endorsed-${documentId}.pdf`);
    } catch (failure) {
      setDownloadError(failure);
    } finally {
      setDownloading(false);
    }
  }

  return (
    <section className="card record" aria-labelledby="handling-title">
      <h2 id="handling-title">{t("handling.title")}</h2>
      <p>
        <strong>{t("handling.action")}</strong> {view.action || t("handling.noAction")}
      </p>
      <h3>{t("handling.endorsements")}</h3>
      {view.endorsements.length === 0 ? (
        <p>{t("handling.noEndorsements")}</p>
      ) : (
        <ol className="plain">
          {view.endorsements.map((e) => (
            <li key={e.id}>
              <span className="who">
                {e.by_name} ({e.by_position})
              </span>{" "}
              · <span className="when">{fmt.dateTime(e.at)}</span>
              {e.note && <p className="endorsement-note">{e.note}</p>}
              {e.decision && (
                <p>
                  <strong>{t("handling.decision")}</strong>{" "}
                  {th ? (e.decision_th ?? e.decision) : t(`handling.decisions.${e.decision}`, { defaultValue: e.decision_th ?? e.decision })}
                </p>
              )}
              {e.addressed_to && <p>{t("handling.addressedTo", { to: e.addressed_to })}</p>}
            </li>
          ))}
        </ol>
      )}
      {view.endorsements.length > 0 && (
        <div className="buttons">
          <button type="button" onClick={() => void endorsedCopy()} disabled={downloading} aria-busy={downloading}>
            {downloading ? t("handling.downloading") : t("handling.endorsedCopy")}
          </button>
        </div>
      )}
      {downloadError !== null && <ErrorNote error={downloadError} />}
      <h3>{t("handling.assignments")}</h3>
      {view.assignments.length === 0 ? (
        <p>{t("handling.noAssignments")}</p>
      ) : (
        <ul className="plain">
          {view.assignments.map((a) => (
            <AssignmentRow key={a.id} documentId={documentId} assignment={a} mine={isMine(a, userId, myUnits, forOthers)} />
          ))}
        </ul>
      )}
      {/* the saraban officer, executives, and whom it was endorsed to (the API's may_handle) */}
      {view.may_handle && <EndorseForm documentId={documentId} />}
      {view.may_handle && <AssignForm documentId={documentId} />}
    </section>
  );
}

function useHandlingChange(documentId: string) {
  const queries = useQueryClient();
  return (after: Handling) => {
    queries.setQueryData(["handling", documentId], after);
    void queries.invalidateQueries({ queryKey: ["history", documentId] });
    void queries.invalidateQueries({ queryKey: ["inbox"] });
  };
}

function AssignmentRow({ documentId, assignment, mine }: { documentId: string; assignment: Assignment; mine: boolean }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const changed = useHandlingChange(documentId);
  const [report, setReport] = useState("");
  const id = useId();
  const update = useMutation({
    mutationFn: async (state: "acknowledged" | "done") =>
      unwrap(
        await api.POST("/v1/documents/{document_id}/assignments/{assignment_id}", {
          params: { path: { document_id: documentId, assignment_id: assignment.id } },
          body: { state, report: report.trim() },
        }),
      ),
    onSuccess: (after) => {
      setReport("");
      changed(after);
    },
  });
  const done = assignment.state === "done";
  return (
    <li>
      <span className="who">{assignment.to_name}</span> ·{" "}
      <span className={`badge ${done ? "good" : "neutral"}`}>{t(`handling.states.${assignment.state}`, { defaultValue: assignment.state })}</span> ·{" "}
      <span className="when">{fmt.dateTime(assignment.updated_at)}</span>
      {assignment.note && <p>{assignment.note}</p>}
      {assignment.report && (
        <p>
          <strong>{t("handling.report")}</strong> {assignment.report}
        </p>
      )}
      {mine && !done && (
        <form className="assignment-update" onSubmit={(e) => e.preventDefault()}>
          <label htmlFor={`${id}-report`}>{t("handling.reportLabel")}</label>
          <textarea id={`${id}-report`} rows={2} value={report} onChange={(e) => setReport(e.target.value)} maxLength={2000} />
          <div className="buttons">
            {assignment.state === "assigned" && (
              <button type="button" disabled={update.isPending} onClick={() => update.mutate("acknowledged")}>
                {t("handling.acknowledge")}
              </button>
            )}
            <button type="button" className="primary" disabled={update.isPending} onClick={() => update.mutate("done")}>
              {t("handling.reportDone")}
            </button>
          </div>
          {update.isError && <ErrorNote error={update.error} />}
        </form>
      )}
    </li>
  );
}

/** The เกษียน: a note, a decision in the usual words (or the executive's own), and to whom it goes next. */
function EndorseForm({ documentId }: { documentId: string }) {
  const { t } = useTranslation();
  const changed = useHandlingChange(documentId);
  const users = useUsers();
  const [note, setNote] = useState("");
  const [decision, setDecision] = useState<Decision | "">("");
  const [decisionText, setDecisionText] = useState("");
  const [to, setTo] = useState("");
  const id = useId();
  const endorse = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST("/v1/documents/{document_id}/endorsements", {
          ...path(documentId),
          body: {
            note: note.trim(),
            decision: decision || null,
            decision_text: decisionText.trim(),
            addressed_to: to ? { user_id: to } : null,
          },
        }),
      ),
    onSuccess: (after) => {
      setNote("");
      setDecision("");
      setDecisionText("");
      setTo("");
      changed(after);
    },
  });
  function submit(event: SyntheticEvent) {
    event.preventDefault();
    endorse.mutate();
  }
  const people = thaiSorted(users.data ?? [], (u) => u.name);
  return (
    <form className="handling-form" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{t("handling.endorse")}</h3>
      <div className="field">
        <label htmlFor={`${id}-note`}>{t("handling.note")}</label>
        <textarea id={`${id}-note`} rows={3} value={note} onChange={(e) => setNote(e.target.value)} maxLength={2000} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-decision`}>{t("handling.decision")}</label>
        <select id={`${id}-decision`} value={decision} onChange={(e) => setDecision(e.target.value as Decision | "")}>
          <option value="">{t("handling.noDecision")}</option>
          {DECISIONS.map((d) => (
            <option key={d} value={d}>
              {t(`handling.decisions.${d}`)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-own`}>{t("handling.decisionText")}</label>
        <input id={`${id}-own`} value={decisionText} onChange={(e) => setDecisionText(e.target.value)} maxLength={200} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-to`}>{t("handling.sendTo")}</label>
        <select id={`${id}-to`} value={to} onChange={(e) => setTo(e.target.value)}>
          <option value="">{t("handling.nobody")}</option>
          {people.map((u) => (
            <option key={u.id} value={u.id}>
              {u.name} ({u.position})
            </option>
          ))}
        </select>
      </div>
      <div className="buttons">
        <button type="submit" className="primary" disabled={endorse.isPending}>
          {t("handling.endorseButton")}
        </button>
      </div>
      {endorse.isError && <ErrorNote error={endorse.error} />}
    </form>
  );
}

/** Assign the letter to a unit or a person to act on (they see it in their inbox until they report it done). */
function AssignForm({ documentId }: { documentId: string }) {
  const { t } = useTranslation();
  const changed = useHandlingChange(documentId);
  const directory = useQuery({
    queryKey: ["directory"],
    queryFn: async () => unwrap(await api.GET("/v1/users")),
    staleTime: 5 * 60_000,
  });
  const [to, setTo] = useState("");
  const [note, setNote] = useState("");
  const id = useId();
  const assign = useMutation({
    mutationFn: async () => {
      const [kind, value] = to.split(":", 2) as ["unit" | "user", string];
      return unwrap(
        await api.POST("/v1/documents/{document_id}/assignments", {
          ...path(documentId),
          body: kind === "unit" ? { unit_id: value, note: note.trim() } : { user_id: value, note: note.trim() },
        }),
      );
    },
    onSuccess: (after) => {
      setTo("");
      setNote("");
      changed(after);
    },
  });
  function submit(event: SyntheticEvent) {
    event.preventDefault();
    if (to) assign.mutate();
  }
  const units = directory.data?.units ?? [];
  const people = thaiSorted(directory.data?.users ?? [], (u) => u.name);
  return (
    <form className="handling-form" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{t("handling.assign")}</h3>
      <div className="field">
        <label htmlFor={`${id}-to`}>{t("handling.assignTo")}</label>
        <select id={`${id}-to`} value={to} onChange={(e) => setTo(e.target.value)} required>
          <option value="">{t("handling.choose")}</option>
          <optgroup label={t("handling.units")}>
            {units.map((u) => (
              <option key={u.id} value={`unit:${u.id}`}>
                {u.name}
              </option>
            ))}
          </optgroup>
          <optgroup label={t("handling.people")}>
            {people.map((u) => (
              <option key={u.id} value={`user:${u.id}`}>
                {u.name} ({u.position})
              </option>
            ))}
          </optgroup>
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-note`}>{t("handling.assignNote")}</label>
        <textarea id={`${id}-note`} rows={2} value={note} onChange={(e) => setNote(e.target.value)} maxLength={2000} />
      </div>
      <div className="buttons">
        <button type="submit" className="primary" disabled={assign.isPending || !to}>
          {t("handling.assignButton")}
        </button>
      </div>
      {assign.isError && <ErrorNote error={assign.error} />}
    </form>
  );
}
