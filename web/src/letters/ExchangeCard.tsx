import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type SyntheticEvent } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../api/client";
import { hasRole, useMe } from "../api/me";
import type { components } from "../api/schema";
import { ErrorNote } from "../components/ErrorNote";
import { thaiSorted } from "../format/thai";
import { useFormat } from "../format/useFormat";
import type { DocumentView } from "./api";

type Delivery = components["schemas"]["DeliveryView"];

const path = (documentId: string) => ({ params: { path: { document_id: documentId } } });

/** The latest attempt per recipient: a letter sent back and sent again shows where it stands now. */
export function latestPerRecipient(deliveries: readonly Delivery[]): Delivery[] {
  const latest = new Map<string, Delivery>();
  for (const d of deliveries) {
    const seen = latest.get(d.recipient);
    if (!seen || d.attempt > seen.attempt) latest.set(d.recipient, d);
  }
  return [...latest.values()];
}

const TONE: Record<string, "good" | "bad" | "neutral"> = {
  accepted: "good",
  rejected: "bad",
  invalid: "bad",
  quarantined: "bad",
};

/** The exchange state per recipient (ระเบียบงานสารบรรณ: the letter sent between agencies through the
 * system, each recipient's เลขรับ once they register it, or their reason for sending it back), and, for
 * the saraban officer, sending a signed and numbered letter to more agencies and carrying a stuck one
 * again. Shown once a letter has deliveries, or when the saraban officer may send it. */
export function ExchangeCard({ document }: { document: DocumentView }) {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const me = useMe();
  const queries = useQueryClient();
  const documentId = document.id;
  const saraban = hasRole(me.data, "saraban");
  const sends = useQuery({
    queryKey: ["sends", documentId],
    queryFn: async () => unwrap(await api.GET("/v1/documents/{document_id}/sends", path(documentId))),
    // Deliveries move on their own (the other agency accepts, or sends back): looked at again while open.
    refetchInterval: (query) =>
      query.state.data?.deliveries.some((d) => d.state === "queued" || d.state === "delivered") ? 15_000 : false,
  });
  const redrive = useMutation({
    mutationFn: async (recipient: string) =>
      unwrap(
        await api.POST("/v1/documents/{document_id}/sends/{recipient}/redrive", {
          params: { path: { document_id: documentId, recipient } },
        }),
      ),
    onSuccess: (after) => queries.setQueryData(["sends", documentId], after),
  });
  const sendable = document.signatures.length > 0 && document.registrations.some((r) => !r.cancelled && r.ref_line);
  if (sends.isPending) return <p aria-busy="true">{t("app.loading")}</p>;
  if (sends.isError) return <ErrorNote error={sends.error} onRetry={() => void sends.refetch()} />;
  const rows = latestPerRecipient(sends.data.deliveries);
  if (rows.length === 0 && !(saraban && sendable)) return null;
  const th = i18n.language === "th";
  return (
    <section className="card record" aria-labelledby="exchange-title">
      <h2 id="exchange-title">{t("exchange.title")}</h2>
      {rows.length === 0 ? (
        <p>{t("exchange.none")}</p>
      ) : (
        <table className="deliveries">
          <caption className="visually-hidden">{t("exchange.caption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("exchange.recipient")}</th>
              <th scope="col">{t("exchange.state")}</th>
              <th scope="col">{t("exchange.when")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((d) => (
              <tr key={d.delivery_id}>
                <td>{d.recipient_name}</td>
                <td>
                  <span className={`badge ${TONE[d.state] ?? "neutral"}`}>{th ? d.state_th : t(`exchange.states.${d.state}`, { defaultValue: d.state })}</span>
                  {d.number_line && <div>{t("exchange.numberLine", { line: fmt.digits(d.number_line) })}</div>}
                  {d.reason && <div>{t("exchange.reason", { reason: d.reason })}</div>}
                  {d.stuck && (
                    <div>
                      {t("exchange.stuck", { why: d.stuck })}{" "}
                      {saraban && (
                        <button type="button" disabled={redrive.isPending} onClick={() => redrive.mutate(d.recipient)}>
                          {t("exchange.redrive")}
                        </button>
                      )}
                    </div>
                  )}
                  {d.attempt > 1 && <div className="when">{t("exchange.attempt", { n: fmt.digits(d.attempt) })}</div>}
                </td>
                <td className="nowrap when">{fmt.dateTime(d.at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {redrive.isError && <ErrorNote error={redrive.error} />}
      {saraban && sendable && <SendForm documentId={documentId} already={rows.filter((d) => !["rejected", "invalid"].includes(d.state)).map((d) => d.recipient)} />}
    </section>
  );
}

/** Send the letter to agencies on the platform (the API checks it is signed, numbered and not ลับที่สุด). */
function SendForm({ documentId, already }: { documentId: string; already: string[] }) {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const queries = useQueryClient();
  const agencies = useQuery({
    queryKey: ["exchange-agencies"],
    queryFn: async () => unwrap(await api.GET("/v1/exchange/agencies")).items,
    staleTime: 10 * 60_000,
  });
  const [chosen, setChosen] = useState<string[]>([]);
  const id = useId();
  const send = useMutation({
    mutationFn: async () =>
      unwrap(await api.POST("/v1/documents/{document_id}/sends", { ...path(documentId), body: { recipients: chosen } })),
    onSuccess: (after) => {
      setChosen([]);
      queries.setQueryData(["sends", documentId], after);
      void queries.invalidateQueries({ queryKey: ["history", documentId] });
    },
  });
  const th = i18n.language === "th";
  const own = me.data?.agency.id;
  const choices = thaiSorted(
    (agencies.data ?? []).filter((a) => a.id !== own && !already.includes(a.id)),
    (a) => a.name,
  );
  function submit(event: SyntheticEvent) {
    event.preventDefault();
    if (chosen.length > 0) send.mutate();
  }
  return (
    <form className="send-form" onSubmit={submit}>
      <fieldset>
        <legend>{t("exchange.sendTo")}</legend>
        {agencies.isError && <ErrorNote error={agencies.error} onRetry={() => void agencies.refetch()} />}
        {choices.length === 0 && agencies.isSuccess && <p>{t("exchange.noMoreAgencies")}</p>}
        {choices.map((a) => (
          <label key={a.id} className="check">
            <input
              type="checkbox"
              name={`${id}-agency`}
              value={a.id}
              checked={chosen.includes(a.id)}
              onChange={(e) => setChosen((now) => (e.target.checked ? [...now, a.id] : now.filter((x) => x !== a.id)))}
            />{" "}
            {th ? a.name : a.name_en || a.name}
          </label>
        ))}
      </fieldset>
      <div className="buttons">
        <button type="submit" className="primary" disabled={send.isPending || chosen.length === 0}>
          {send.isPending ? t("exchange.sending") : t("exchange.send")}
        </button>
      </div>
      {send.isError && <ErrorNote error={send.error} />}
    </form>
  );
}
