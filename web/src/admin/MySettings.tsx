import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useId, useState, type SyntheticEvent } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../api/client";
import { hasRole, useMe } from "../api/me";
import type { components } from "../api/schema";
import { ErrorNote } from "../components/ErrorNote";
import { useFormat } from "../format/useFormat";
import "../screens/saraban.css";
import "./admin.css";
import { feedAddress } from "./logic";

type Choice = components["schemas"]["NotificationSettings"]["email"];
type Settings = components["schemas"]["NotificationSettingsView"];
const CHOICES: Choice[] = ["each", "digest", "off"];
const HOURS = Array.from({ length: 24 }, (_, h) => h);
const KEY = ["me", "notification-settings"];

/** Every person's own settings: how notifications reach them by e-mail, their calendar address, and
 * (for a signer) when their signing certificate ends and the delegations they hold. */
export function MySettings() {
  const { t } = useTranslation();
  const me = useMe();
  const settings = useQuery({ queryKey: KEY, queryFn: async () => unwrap(await api.GET("/v1/me/notification-settings")) });
  return (
    <section className="admin">
      {hasRole(me.data, "admin") && (
        <nav className="admin-nav" aria-label={t("admin.sections")}>
          <Link to="/admin">{t("admin.overview")}</Link>
        </nav>
      )}
      <h1>{t("admin.me.title")}</h1>
      {settings.isPending && <p aria-busy="true">{t("app.loading")}</p>}
      {settings.isError && <ErrorNote error={settings.error} onRetry={() => void settings.refetch()} />}
      {settings.data && <NotificationForm settings={settings.data} />}
      <CalendarFeed />
      <Signing />
    </section>
  );
}

function NotificationForm({ settings }: { settings: Settings }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const id = useId();
  const queries = useQueryClient();
  const [email, setEmail] = useState<Choice>(settings.email);
  const [hour, setHour] = useState(settings.digest_hour);
  const [said, setSaid] = useState("");
  const save = useMutation({
    mutationFn: async () =>
      unwrap(await api.PUT("/v1/me/notification-settings", { body: { email, digest_hour: hour } })),
    onSuccess: (answer) => {
      queries.setQueryData(KEY, answer);
      setSaid(t("admin.me.saved", { choice: t(`admin.me.choices.${answer.email}`) }));
    },
  });
  function submit(event: SyntheticEvent) {
    event.preventDefault();
    setSaid("");
    save.mutate();
  }
  return (
    <form className="card" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t("admin.me.notifications")}</h2>
      <p>
        {settings.address ? t("admin.me.address", { address: settings.address }) : t("admin.me.noAddress")}
      </p>
      <fieldset>
        <legend>{t("admin.me.emailChoice")}</legend>
        {CHOICES.map((choice) => (
          <label key={choice} className="check">
            <input type="radio" name={`${id}-email`} value={choice} checked={email === choice} onChange={() => setEmail(choice)} />
            <span>
              {t(`admin.me.choices.${choice}`)}
              <span className="hint">{t(`admin.me.choiceHints.${choice}`)}</span>
            </span>
          </label>
        ))}
      </fieldset>
      <label>
        {t("admin.me.hour")}
        <select value={hour} disabled={email !== "digest"} onChange={(e) => setHour(Number(e.target.value))}>
          {HOURS.map((h) => (
            <option key={h} value={h}>
              {t("admin.me.hourOption", { hour: fmt.digits(String(h).padStart(2, "0")) })}
            </option>
          ))}
        </select>
      </label>
      {save.isError && <ErrorNote error={save.error} />}
      <div className="actions">
        <button type="submit" disabled={save.isPending}>
          {save.isPending ? t("admin.saving") : t("admin.me.save")}
        </button>
      </div>
      <p role="status" className="said">
        {said}
      </p>
    </form>
  );
}

function CalendarFeed() {
  const { t, i18n } = useTranslation();
  const id = useId();
  const [address, setAddress] = useState<{ url: string; note: string } | null>(null);
  const [said, setSaid] = useState("");
  const issue = useMutation({
    mutationFn: async () => unwrap(await api.POST("/v1/me/calendar-feed")),
    onSuccess: (feed) => {
      setAddress({ url: feedAddress(globalThis.location.origin, feed.path), note: feed.note_th });
      setSaid(t("admin.me.feedIssued"));
    },
  });
  const revoke = useMutation({
    mutationFn: async () => {
      const answer = await api.DELETE("/v1/me/calendar-feed");
      if (answer.response.status !== 204) unwrap(answer);
    },
    onSuccess: () => {
      setAddress(null);
      setSaid(t("admin.me.feedRevoked"));
    },
  });
  const busy = issue.isPending || revoke.isPending;
  return (
    <div className="card" role="group" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t("admin.me.calendar")}</h2>
      <p className="hint">{t("admin.me.calendarAbout")}</p>
      {address && (
        <>
          <div className="feed">
            <label className="visually-hidden" htmlFor={`${id}-url`}>
              {t("admin.me.feedAddress")}
            </label>
            <input id={`${id}-url`} readOnly value={address.url} className="mono" onFocus={(e) => e.target.select()} />
            <button
              type="button"
              onClick={() => void navigator.clipboard.writeText(address.url).then(() => setSaid(t("admin.me.copied")))}
            >
              {t("admin.me.copy")}
            </button>
          </div>
          <p className="hint">{i18n.language === "th" ? address.note : t("admin.me.feedNote")}</p>
        </>
      )}
      {issue.isError && <ErrorNote error={issue.error} />}
      {revoke.isError && <ErrorNote error={revoke.error} />}
      <div className="actions">
        <button
          type="button"
          disabled={busy}
          onClick={() => {
            setSaid("");
            revoke.reset();
            issue.mutate();
          }}
        >
          {issue.isPending ? t("admin.saving") : t("admin.me.issue")}
        </button>
        <button
          type="button"
          className="danger"
          disabled={busy}
          onClick={() => {
            setSaid("");
            issue.reset();
            revoke.mutate();
          }}
        >
          {revoke.isPending ? t("admin.saving") : t("admin.me.revoke")}
        </button>
      </div>
      <p role="status" className="said">
        {said}
      </p>
    </div>
  );
}

function Signing() {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const me = useMe();
  const certificate = me.data?.signing_certificate;
  const delegations = me.data?.delegations ?? [];
  if (!certificate && delegations.length === 0) return null;
  return (
    <div className="card">
      <h2>{t("admin.me.signing")}</h2>
      {certificate && (
        <p className={certificate.expires_soon ? "attention" : undefined}>
          {certificate.not_after ? t("admin.me.certificateEnds", { date: fmt.date(certificate.not_after) }) : t("admin.me.certificateAwaiting")}
          {certificate.expires_soon && (
            <>
              {" "}
              {i18n.language === "th" && certificate.warning_th ? certificate.warning_th : t("admin.me.expiresSoon")}
            </>
          )}
        </p>
      )}
      {delegations.length > 0 && (
        <>
          <h3>{t("admin.me.delegations")}</h3>
          <ul>
            {delegations.map((d, i) => (
              <li key={i}>
                {t("admin.me.delegation", {
                  kind: t(`admin.delegations.kinds.${d.kind}`, { defaultValue: d.kind }),
                  position: d.position,
                  until: d.until ? fmt.date(d.until) : t("admin.delegations.noEnd"),
                })}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
