import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../api/client";
import type { components } from "../api/schema";
import "./saraban.css";
import { ErrorNote } from "../components/ErrorNote";
import { ReasonDialog } from "../components/ReasonDialog";
import { shortDate } from "../registers/columns";
import { useFormat } from "../format/useFormat";

type Letter = components["schemas"]["IncomingLetter"];
type Decision = "reject" | "invalid";
// New letters are told by push; polling is the fallback, while the tab is visible.
const FALLBACK_POLL_MS = 60_000;

/** Letters other agencies sent (on the platform, through e-CMS, or by e-mail to the central address),
 * waiting for the saraban officer: accept (the register gives the เลขรับ, which goes back to the sender),
 * send back with a reason, or find invalid with a reason. */
export function IncomingQueue() {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const queries = useQueryClient();
  const [waitingOnly, setWaitingOnly] = useState(true);
  const [deciding, setDeciding] = useState<{ letter: Letter; decision: Decision } | null>(null);
  const [said, setSaid] = useState("");
  const th = i18n.language === "th";
  const letters = useQuery({
    queryKey: ["exchange-incoming"],
    queryFn: async () => unwrap(await api.GET("/v1/exchange/incoming")),
    refetchInterval: FALLBACK_POLL_MS,
    refetchIntervalInBackground: false,
  });
  const accept = useMutation({
    mutationFn: async (letter: Letter) =>
      unwrap(
        await api.POST("/v1/exchange/incoming/{delivery_id}/accept", {
          params: { path: { delivery_id: letter.delivery_id } },
        }),
      ),
    onSuccess: async (accepted, letter) => {
      setSaid(t("queue.accepted", { subject: letter.subject, number: accepted.number }));
      await queries.invalidateQueries({ queryKey: ["exchange-incoming"] });
      await queries.invalidateQueries({ queryKey: ["register", "incoming"] });
    },
  });
  const decide = useMutation({
    mutationFn: async ({ letter, decision, reason }: { letter: Letter; decision: Decision; reason: string }) => {
      const path = { params: { path: { delivery_id: letter.delivery_id } }, body: { reason } };
      return unwrap(
        decision === "reject"
          ? await api.POST("/v1/exchange/incoming/{delivery_id}/reject", path)
          : await api.POST("/v1/exchange/incoming/{delivery_id}/invalid", path),
      );
    },
    onSuccess: async (letter, { decision }) => {
      setSaid(t(decision === "reject" ? "queue.rejected" : "queue.invalidated", { subject: letter.subject }));
      await queries.invalidateQueries({ queryKey: ["exchange-incoming"] });
    },
  });

  const items = letters.data?.items ?? [];
  const waiting = items.filter((l) => l.state === "delivered");
  const shown = waitingOnly ? waiting : items;
  return (
    <section>
      <h1>{t("queue.title")}</h1>
      <div className="tabs" role="group" aria-label={t("queue.title")}>
        <button type="button" aria-pressed={waitingOnly} onClick={() => setWaitingOnly(true)}>
          {t("queue.waiting")} <span className="count">{fmt.digits(waiting.length)}</span>
        </button>
        <button type="button" aria-pressed={!waitingOnly} onClick={() => setWaitingOnly(false)}>
          {t("queue.all")} <span className="count">{fmt.digits(items.length)}</span>
        </button>
      </div>
      <p role="status" className="said">
        {said}
      </p>
      {accept.isError && <ErrorNote error={accept.error} />}
      {letters.isPending && <p aria-busy="true">{t("app.loading")}</p>}
      {letters.isError && <ErrorNote error={letters.error} onRetry={() => void letters.refetch()} />}
      {letters.data && shown.length === 0 && <p className="empty">{t("queue.empty")}</p>}
      {shown.length > 0 && (
        <div className="scroll">
          <table className="register">
            <thead>
              <tr>
                <th scope="col">{t("queue.columns.received")}</th>
                <th scope="col">{t("queue.columns.from")}</th>
                <th scope="col">{t("queue.columns.reference")}</th>
                <th scope="col">{t("queue.columns.subject")}</th>
                <th scope="col">{t("queue.columns.check")}</th>
                <th scope="col">{t("queue.columns.state")}</th>
                <th scope="col">{t("queue.columns.manage")}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((letter) => {
                const open = letter.state === "delivered";
                const ready = letter.file_status === "ready";
                return (
                  <tr key={letter.delivery_id}>
                    <td className="nowrap">{fmt.dateTime(letter.received_at)}</td>
                    <td>{letter.sender_name || letter.sender}</td>
                    <td className="nowrap">
                      {letter.reference || "—"}
                      {letter.letter_date && <div className="detail">{fmt.digits(shortDate(letter.letter_date, i18n.language))}</div>}
                    </td>
                    <td>
                      <Link to="/documents/$documentId" params={{ documentId: letter.document_id }}>
                        {letter.subject}
                      </Link>
                    </td>
                    <td>
                      {t(`queue.file.${letter.file_status}`, { defaultValue: letter.file_status })}
                      {letter.signatures_valid !== null && (
                        <div className={letter.signatures_valid ? "detail" : "detail error"}>
                          {letter.signatures_valid ? t("queue.signaturesValid") : t("queue.signaturesInvalid")}
                        </div>
                      )}
                    </td>
                    <td>
                      {th ? letter.state_th : t(`queue.states.${letter.state}`, { defaultValue: letter.state })}
                      {letter.number_line && <div className="detail">{letter.number_line}</div>}
                      {letter.reason && <div className="detail">{t("queue.reason", { reason: letter.reason })}</div>}
                    </td>
                    <td className="manage">
                      {open && (
                        <>
                          <button
                            type="button"
                            className="primary"
                            disabled={!ready || accept.isPending}
                            aria-label={t("queue.acceptLetter", { subject: letter.subject })}
                            onClick={() => accept.mutate(letter)}
                          >
                            {t("queue.accept")}
                          </button>
                          <button
                            type="button"
                            aria-label={t("queue.rejectLetter", { subject: letter.subject })}
                            onClick={() => setDeciding({ letter, decision: "reject" })}
                          >
                            {t("queue.reject")}
                          </button>
                          <button
                            type="button"
                            aria-label={t("queue.invalidLetter", { subject: letter.subject })}
                            onClick={() => setDeciding({ letter, decision: "invalid" })}
                          >
                            {t("queue.invalid")}
                          </button>
                        </>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {deciding && (
        <ReasonDialog
          title={t(deciding.decision === "reject" ? "queue.rejectTitle" : "queue.invalidTitle")}
          summary={`${deciding.letter.subject} (${deciding.letter.sender_name})`}
          label={t("queue.reasonLabel")}
          submit={t(deciding.decision === "reject" ? "queue.confirmReject" : "queue.confirmInvalid")}
          onSubmit={(reason) => decide.mutateAsync({ ...deciding, reason })}
          onClose={() => setDeciding(null)}
        />
      )}
    </section>
  );
}
