import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useEffect, useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, ApiError, unwrap } from "../api/client";
import { ErrorNote } from "../components/ErrorNote";
import { ReasonDialog } from "../components/ReasonDialog";
import { getDocument, useUsers, type DocumentView } from "./api";
import { pollUntil, WaitedTooLong } from "./poll";
import { actionsFor, assigneeName, forwardLabel, returnTargets, shownStepState, type RouteAction, type RouteView } from "./route";

type Waiting = "numbering" | "signing" | null;

/** The route with each step and where it stands, its number, and what the caller may do now. */
export function RouteCard({ document }: { document: DocumentView }) {
  const { t, i18n } = useTranslation();
  const queries = useQueryClient();
  const users = useUsers();
  const documentId = document.id;
  const route = useQuery({
    queryKey: ["route", documentId],
    queryFn: async () =>
      unwrap(await api.GET("/v1/documents/{document_id}/route", { params: { path: { document_id: documentId } } })),
    retry: (count, error) => !(error instanceof ApiError && error.status === 404) && count < 1,
  });
  const [comment, setComment] = useState("");
  const [returnTo, setReturnTo] = useState<number | null>(null);
  const [working, setWorking] = useState<RouteAction | null>(null);
  const [waiting, setWaiting] = useState<Waiting>(null);
  const [seconds, setSeconds] = useState(0);
  const [error, setError] = useState<unknown>(null);
  const [note, setNote] = useState<string | null>(null);
  const [withdrawing, setWithdrawing] = useState(false);
  const id = useId();

  useEffect(() => {
    if (!waiting) return;
    const timer = setInterval(() => setSeconds((s) => s + 1), 1000);
    return () => clearInterval(timer);
  }, [waiting]);

  if (route.isPending) return <p aria-busy="true">{t("app.loading")}</p>;
  if (route.isError) {
    if (route.error instanceof ApiError && route.error.status === 404) {
      return (
        <section className="card" aria-labelledby="route-title">
          <h2 id="route-title">{t("route.title")}</h2>
          <p>{t("route.none")}</p>
        </section>
      );
    }
    return <ErrorNote error={route.error} onRetry={() => void route.refetch()} />;
  }
  const view = route.data;
  const signed = document.signatures.length > 0;
  const actions = actionsFor(view, signed);
  const targets = returnTargets(view);
  const target = returnTo ?? targets[0]?.index ?? 0;
  const people = users.data ?? [];
  const th = i18n.language === "th";

  async function refresh() {
    await Promise.all(
      ["document", "route", "history", "revisions", "validation", "signing"].map((key) =>
        queries.invalidateQueries({ queryKey: [key, documentId] }),
      ),
    );
  }

  async function act(action: RouteAction, current: RouteView) {
    setError(null);
    setNote(null);
    if ((action === "return" || action === "reject") && comment.trim() === "") {
      setError(new Error(t("route.commentNeeded")));
      return;
    }
    const atSign = action === "forward" && current.steps[current.current]?.kind === "sign";
    const signaturesBefore = document.signatures.length;
    setWorking(action);
    try {
      const body = {
        action,
        comment: comment.trim(),
        ...(action === "return" ? { to_step: target } : { to_step: null }),
      };
      const after = unwrap(
        await api.POST("/v1/documents/{document_id}/route/actions", {
          params: { path: { document_id: documentId } },
          body,
        }),
      );
      queries.setQueryData(["route", documentId], after);
      setComment("");
      if (after.state === "numbering") {
        setSeconds(0);
        setWaiting("numbering");
        const numbered = await pollUntil(
          async () =>
            unwrap(await api.GET("/v1/documents/{document_id}/route", { params: { path: { document_id: documentId } } })),
          (r) => r.state !== "numbering",
          { everyMs: 1000, forMs: 90_000 },
        );
        queries.setQueryData(["route", documentId], numbered);
      }
      if (atSign) {
        setSeconds(0);
        setWaiting("signing");
        await pollUntil(
          async () => {
            const [doc, signing] = await Promise.all([
              getDocument(documentId),
              api.GET("/v1/documents/{document_id}/signing", { params: { path: { document_id: documentId } } }),
            ]);
            const failed = signing.data?.jobs.find((j) => j.slot === signaturesBefore && j.status === "failed");
            if (failed) {
              throw new ApiError(409, {
                detail: t("route.signFailed", { reason: failed.error ?? "", lng: "en" }),
                detail_th: t("route.signFailed", { reason: failed.error ?? "", lng: "th" }),
              });
            }
            return doc;
          },
          (doc) => doc.signatures.length > signaturesBefore,
          { everyMs: 1000, forMs: 120_000 },
        );
        setNote(t("route.signed"));
      } else {
        setNote(t("route.done"));
      }
    } catch (failure) {
      setError(failure instanceof WaitedTooLong ? new Error(t("route.waitedTooLong")) : failure);
    } finally {
      setWaiting(null);
      setWorking(null);
      await refresh();
    }
  }

  /** Withdraw the route (ถอนเรื่อง): the API cancels a number already taken, with this reason. The dialog
   * stays open with the reason typed when the API refuses. */
  async function withdraw(reason: string) {
    const after = unwrap(
      await api.POST("/v1/documents/{document_id}/route/withdraw", {
        params: { path: { document_id: documentId } },
        body: { reason },
      }),
    );
    queries.setQueryData(["route", documentId], after);
    setWithdrawing(false);
    setNote(t("route.withdrawn"));
    await refresh();
  }

  return (
    <section className="card" aria-labelledby="route-title">
      <h2 id="route-title">{t("route.title")}</h2>
      <p>
        {t("route.state")}: <strong>{t(`route.states.${view.state}`, { defaultValue: view.state })}</strong>
        {view.your_turn && (
          <>
            {" "}
            · <strong className="badge neutral">{t("route.yourTurn")}</strong>
          </>
        )}
      </p>
      {view.number && (
        <p className="number-line">
          {t("route.number")}: <span data-testid="ref-line">{view.number.ref_line ?? `${view.number.number}/${view.number.year}`}</span>
        </p>
      )}
      {view.stuck && (
        <p role="alert" className="error">
          {t("route.stuck", { reason: view.stuck })}
        </p>
      )}
      {view.seen_revision !== null && view.seen_revision < view.revision && (
        <p className="changed-note">{t("route.changed", { seen: view.seen_revision, current: view.revision })}</p>
      )}
      <ol className="route-steps">
        {view.steps.map((step) => {
          const state = shownStepState(view, step);
          return (
          <li key={step.index} data-state={state} aria-current={state === "current" ? "step" : undefined}>
            <span className="mark" aria-hidden="true">
              {state === "done" ? "✓" : step.index + 1}
            </span>
            <span>
              <span className="who">
                {t("route.step", {
                  n: step.index + 1,
                  kind: th ? step.kind_th : t(`route.stepKinds.${step.kind}`, { defaultValue: step.kind }),
                })}{" "}
                — {assigneeName(step, people)}
              </span>
              {step.delegate && (
                <span className="step-state">{t("route.delegate", { name: assigneeName({ user_id: step.delegate, position: null }, people) })} · </span>
              )}
              <span className="step-state">{t(`route.stepStates.${state}`)}</span>
            </span>
          </li>
          );
        })}
      </ol>
      {view.your_turn && view.current === 0 && view.state === "drafting" && (
        <p>
          <Link to="/letters/new" search={{ document: documentId }}>
            {t("route.edit")}
          </Link>
        </p>
      )}
      {actions.length > 0 && (
        <div className="route-actions">
          <h3>{t("route.actionsTitle")}</h3>
          <div className="field">
            <label htmlFor={`${id}-comment`}>{t("route.comment")}</label>
            <span className="field-hint" id={`${id}-comment-hint`}>
              {t("route.commentHint")}
            </span>
            <textarea
              id={`${id}-comment`}
              aria-describedby={`${id}-comment-hint`}
              rows={3}
              value={comment}
              onChange={(e) => setComment(e.target.value)}
            />
          </div>
          {actions.includes("return") && (
            <div className="field">
              <label htmlFor={`${id}-return`}>{t("route.returnTo")}</label>
              <select id={`${id}-return`} value={target} onChange={(e) => setReturnTo(Number(e.target.value))}>
                {targets.map((s) => (
                  <option key={s.index} value={s.index}>
                    {t("route.step", {
                      n: s.index + 1,
                      kind: th ? s.kind_th : t(`route.stepKinds.${s.kind}`, { defaultValue: s.kind }),
                    })}{" "}
                    — {assigneeName(s, people)}
                  </option>
                ))}
              </select>
            </div>
          )}
          <div className="buttons">
            {actions.map((action) => (
              <button
                key={action}
                type="button"
                className={action === "forward" ? "primary" : action === "reject" ? "danger" : undefined}
                disabled={working !== null}
                onClick={() => void act(action, view)}
              >
                {t(`route.actions.${action === "forward" ? forwardLabel(view) : action}`)}
              </button>
            ))}
          </div>
        </div>
      )}
      {view.may_withdraw && (
        <p className="withdraw">
          <button type="button" className="danger" disabled={working !== null} onClick={() => setWithdrawing(true)}>
            {t("route.withdraw")}
          </button>{" "}
          <span className="hint">{view.number ? t("route.withdrawNumbered") : t("route.withdrawHint")}</span>
        </p>
      )}
      {withdrawing && (
        <ReasonDialog
          title={t("route.withdrawTitle")}
          summary={document.subject}
          label={t("route.withdrawReason")}
          submit={t("route.withdrawConfirm")}
          onSubmit={withdraw}
          onClose={() => setWithdrawing(false)}
        />
      )}
      {/* one live region, there from the start, so that what it says next is announced */}
      <p className="status-line" role="status" aria-busy={working !== null}>
        {working
          ? waiting === "numbering"
            ? t("route.waitNumbering", { seconds })
            : waiting === "signing"
              ? t("route.waitSigning", { seconds })
              : t("route.working")
          : (note ?? "")}
      </p>
      {error !== null && <ErrorNote error={error} />}
    </section>
  );
}
