import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { useEffect, useId, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../api/client";
import type { components } from "../api/schema";
import { ErrorNote } from "../components/ErrorNote";
import { useFormat } from "../format/useFormat";
import type { LiveState } from "../push/live";
import { targetOf } from "./target";
import "./notifications.css";

type Notifications = components["schemas"]["Notifications"];
type Notification = components["schemas"]["Notification"];

// New notifications arrive by push (the live connection refreshes ["notifications"]); polled only while
// it is not open, at most every five minutes and only in a visible tab, as the inbox is.
const FALLBACK_POLL_MS = 5 * 60 * 1000;

/** The header's bell: how many notifications are unread, and the list, newest first. Opening one marks
 * it read and goes to what it is about. */
export function Bell({ live }: { live: LiveState }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const navigate = useNavigate();
  const queries = useQueryClient();
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const box = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const listing = useQuery({
    queryKey: ["notifications"],
    queryFn: async () => unwrap(await api.GET("/v1/notifications")),
    refetchInterval: live === "open" ? false : FALLBACK_POLL_MS,
    refetchIntervalInBackground: false,
  });
  const read = useMutation({
    mutationFn: async (id: string) =>
      unwrap(await api.POST("/v1/notifications/{notification_id}/read", { params: { path: { notification_id: id } } })),
    onSuccess: (answer: Notifications) => queries.setQueryData(["notifications"], answer),
  });

  useEffect(() => {
    if (!open) return;
    function away(event: MouseEvent | FocusEvent) {
      if (box.current && event.target instanceof Node && !box.current.contains(event.target)) setOpen(false);
    }
    document.addEventListener("mousedown", away);
    document.addEventListener("focusin", away);
    return () => {
      document.removeEventListener("mousedown", away);
      document.removeEventListener("focusin", away);
    };
  }, [open]);

  const unread = listing.data?.unread ?? 0;
  const items = listing.data?.notifications ?? [];

  /** Marks it read; goes to what it is about and closes, or, when it leads nowhere the app knows, stays
   * open where the person is (a failure to mark it read is then said here, in the list). */
  function follow(item: Notification) {
    if (!item.read) read.mutate(item.id);
    const target = targetOf(item.document_id);
    if (!target) return;
    setOpen(false);
    void navigate(target);
  }

  return (
    <div
      className="bell"
      ref={box}
      onKeyDown={(event) => {
        if (event.key === "Escape" && open) {
          setOpen(false);
          button.current?.focus();
        }
      }}
    >
      <button
        ref={button}
        type="button"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen(!open)}
      >
        <svg aria-hidden="true" viewBox="0 0 24 24" width="20" height="20">
          <path
            fill="currentColor"
            d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z"
          />
        </svg>
        <span className="visually-hidden">{t("notifications.title")}</span>
        {unread > 0 && (
          <span className="badge" data-testid="unread">
            {fmt.digits(unread)}
            <span className="visually-hidden"> {t("notifications.unread")}</span>
          </span>
        )}
      </button>
      <div id={panelId} className="panel" hidden={!open}>
        <h2>{t("notifications.title")}</h2>
        {listing.error && <ErrorNote error={listing.error} />}
        {read.error && <ErrorNote error={read.error} />}
        {listing.isPending && <p aria-busy="true">{t("app.loading")}</p>}
        {listing.data && items.length === 0 && <p className="hint">{t("notifications.none")}</p>}
        {items.length > 0 && (
          <ul>
            {items.map((item) => (
              <li key={item.id} data-read={item.read}>
                <button type="button" onClick={() => follow(item)}>
                  {!item.read && <span className="dot" aria-hidden="true" />}
                  <span className="text">{item.text}</span>
                  <time dateTime={item.at}>{fmt.dateTime(item.at)}</time>
                  {!item.read && <span className="visually-hidden"> ({t("notifications.new")})</span>}
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
