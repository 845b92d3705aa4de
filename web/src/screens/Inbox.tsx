import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../api/client";
import { ErrorNote } from "../components/ErrorNote";
import { Urgency } from "../components/Urgency";
import { useLiveState } from "../push/LiveContext";
import { useFormat } from "../format/useFormat";

type Kind = "step" | "endorse" | "assignment" | "task";
const KINDS: Kind[] = ["step", "endorse", "assignment", "task"];
// Changes arrive by push (the live inbox); polling is the fallback only, and only while the tab is
// visible: at most every five minutes (docs: "Built for 1.9 million users").
const FALLBACK_POLL_MS = 5 * 60 * 1000;

export function Inbox() {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const [kind, setKind] = useState<Kind | undefined>(undefined);
  const [cursors, setCursors] = useState<string[]>([]);
  const live = useLiveState();
  const cursor = cursors.at(-1);
  const inbox = useQuery({
    queryKey: ["inbox", kind ?? "all", cursor ?? ""],
    queryFn: async () =>
      unwrap(
        await api.GET("/v1/inbox", {
          params: { query: { limit: 30, ...(kind ? { kind } : {}), ...(cursor ? { cursor } : {}) } },
        }),
      ),
    // Pushed while the live connection is open; polled only while it is not.
    refetchInterval: live === "open" ? false : FALLBACK_POLL_MS,
    refetchIntervalInBackground: false,
  });
  const counts = inbox.data?.counts ?? {};
  const total = Object.values(counts).reduce((sum, n) => sum + n, 0);

  function choose(next: Kind | undefined) {
    setKind(next);
    setCursors([]);
  }

  return (
    <section>
      <h1>{t("inbox.title")}</h1>
      <p className="live" role="status" data-state={live}>
        {live === "open" ? t("inbox.live") : t("inbox.polling")}
      </p>
      <div className="tabs" role="group" aria-label={t("inbox.title")}>
        <button type="button" aria-pressed={kind === undefined} onClick={() => choose(undefined)}>
          {t("inbox.all")} <span className="count">{fmt.digits(total)}</span>
        </button>
        {KINDS.map((k) => (
          <button key={k} type="button" aria-pressed={kind === k} onClick={() => choose(k)}>
            {t(`inbox.kinds.${k}`)} <span className="count">{fmt.digits(counts[k] ?? 0)}</span>
          </button>
        ))}
      </div>
      {inbox.isPending && <p aria-busy="true">{t("app.loading")}</p>}
      {inbox.isError && <ErrorNote error={inbox.error} onRetry={() => void inbox.refetch()} />}
      {inbox.data && inbox.data.items.length === 0 && <p className="empty">{t("inbox.empty")}</p>}
      {inbox.data && inbox.data.items.length > 0 && (
        <table className="inbox">
          <thead>
            <tr>
              <th scope="col">{t("inbox.columns.urgency")}</th>
              <th scope="col">{t("inbox.columns.title")}</th>
              <th scope="col">{t("inbox.columns.kind")}</th>
              <th scope="col">{t("inbox.columns.due")}</th>
              <th scope="col">{t("inbox.columns.received")}</th>
            </tr>
          </thead>
          <tbody>
            {inbox.data.items.map((item) => (
              <tr key={item.id} className={item.overdue ? "overdue" : undefined}>
                <td>
                  <Urgency value={item.urgency} />
                </td>
                <td>
                  <Link to="/documents/$documentId" params={{ documentId: item.document_id }}>
                    {item.title}
                  </Link>
                  {item.detail && <div className="detail">{item.detail}</div>}
                </td>
                <td>{i18n.language === "th" ? item.kind_th : t(`inbox.kinds.${item.kind}`, { defaultValue: item.kind })}</td>
                <td>
                  {fmt.dateTime(item.due_at)}
                  {item.overdue && <strong className="overdue-mark"> {t("inbox.overdue")}</strong>}
                </td>
                <td>{fmt.dateTime(item.created_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="paging">
        {cursors.length > 0 && (
          <button type="button" onClick={() => setCursors([])}>
            {t("inbox.first")}
          </button>
        )}
        {inbox.data?.cursor && (
          <button type="button" onClick={() => setCursors([...cursors, inbox.data.cursor ?? ""])}>
            {t("inbox.next")}
          </button>
        )}
      </div>
    </section>
  );
}
