import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useRef, useState, type SyntheticEvent } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../api/client";
import type { components } from "../api/schema";
import { ErrorNote } from "../components/ErrorNote";
import { FieldsDialog } from "../components/FieldsDialog";
import { useFormat } from "../format/useFormat";
import type { Resource } from "./api";
import { agencyName, changed, feedAddress, filterChoices, sharingChoices, toggled, type Agency } from "./sharing";
import "./sharing.css";

export type Feed = components["schemas"]["FeedView"];
const FILTER_FROM = 8; // more agencies than this: a box to narrow the list

/** One resource's sharing with other agencies (the admin sets it) and its calendar address (the admin or
 * its officer makes and revokes it), opened under its row on the resources screen. */
export function ResourceSettings({
  resource,
  mayShare,
  agencies,
  agenciesError,
  onRetryAgencies,
  feed,
  onFeed,
}: {
  resource: Resource;
  mayShare: boolean;
  agencies: readonly Agency[] | undefined;
  agenciesError: unknown;
  onRetryAgencies: () => void;
  feed: Feed | undefined;
  onFeed: (feed: Feed | undefined) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <div className="resource-settings">
      <section aria-labelledby={`${id}-share`}>
        <h3 id={`${id}-share`}>{t("booking.resources.share.title", { name: resource.name })}</h3>
        {resource.kind === "driver" ? (
          <p className="hint">{t("booking.resources.share.notDrivers")}</p>
        ) : mayShare ? (
          <SharingForm resource={resource} agencies={agencies} agenciesError={agenciesError} onRetryAgencies={onRetryAgencies} />
        ) : (
          <>
            <p>{sharingLine(t, resource, agencies)}</p>
            <p className="hint">{t("booking.resources.share.adminOnly")}</p>
          </>
        )}
      </section>
      <FeedSection resource={resource} feed={feed} onFeed={onFeed} />
    </div>
  );
}

type T = ReturnType<typeof useTranslation>["t"];

/** Who may book it besides the agency: none, or the agencies by name. */
export function sharingLine(t: T, resource: Resource, agencies: readonly Agency[] | undefined): string {
  if (resource.shared_with.length === 0) return t("booking.resources.share.none");
  return t("booking.resources.share.with", { names: resource.shared_with.map((a) => agencyName(a, agencies)).join(", ") });
}

function SharingForm({
  resource,
  agencies,
  agenciesError,
  onRetryAgencies,
}: {
  resource: Resource;
  agencies: readonly Agency[] | undefined;
  agenciesError: unknown;
  onRetryAgencies: () => void;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const id = useId();
  const queries = useQueryClient();
  const [chosen, setChosen] = useState<string[]>(resource.shared_with);
  const [words, setWords] = useState("");
  const [said, setSaid] = useState("");
  const share = useMutation({
    mutationFn: async (list: string[]) =>
      unwrap(
        await api.PUT("/v1/resources/{resource_id}/sharing", {
          params: { path: { resource_id: resource.id } },
          body: { agencies: list },
        }),
      ),
    onSuccess: (next) => {
      setChosen(next.shared_with);
      setSaid(
        next.shared_with.length === 0
          ? t("booking.resources.share.stopped", { name: next.name })
          : t("booking.resources.share.saved", { name: next.name, shown: fmt.digits(next.shared_with.length) }),
      );
      // Shown at once: the list read straight after the write may not have it yet.
      queries.setQueryData<Resource[]>(["resources"], (list) => list?.map((r) => (r.id === next.id ? next : r)));
    },
  });
  const choices = agencies ? sharingChoices(agencies, resource.shared_with) : [];
  const shown = filterChoices(choices, words, chosen);

  function submit(event: SyntheticEvent) {
    event.preventDefault();
    setSaid("");
    share.mutate(chosen);
  }

  return (
    <form onSubmit={submit} aria-labelledby={`${id}-legend`}>
      <p>{sharingLine(t, resource, agencies)}</p>
      <p className="hint" id={`${id}-hint`}>
        {t("booking.resources.share.hint")}
      </p>
      {agenciesError !== null && agenciesError !== undefined && <ErrorNote error={agenciesError} onRetry={onRetryAgencies} />}
      {agencies === undefined && agenciesError == null && <p aria-busy="true">{t("app.loading")}</p>}
      {agencies !== undefined && choices.length === 0 && <p className="empty">{t("booking.resources.share.noAgencies")}</p>}
      {choices.length > FILTER_FROM && (
        <label className="agency-filter">
          {t("booking.resources.share.filter")}
          <input type="search" value={words} onChange={(e) => setWords(e.target.value)} />
        </label>
      )}
      {choices.length > 0 && (
        <fieldset disabled={share.isPending} aria-describedby={`${id}-hint`}>
          <legend id={`${id}-legend`}>{t("booking.resources.share.legend")}</legend>
          <ul className="agency-choices">
            {shown.map((c) => (
              <li key={c.id}>
                <label className="check">
                  <input type="checkbox" checked={chosen.includes(c.id)} onChange={(e) => setChosen(toggled(chosen, c.id, e.target.checked))} />
                  <span>
                    {c.name}
                    {!c.listed && <span className="detail"> {t("booking.resources.share.unlisted")}</span>}
                  </span>
                </label>
              </li>
            ))}
          </ul>
          {shown.length === 0 && <p className="empty">{t("booking.resources.share.noMatch")}</p>}
        </fieldset>
      )}
      <p role="status" className="said">
        {said}
      </p>
      {share.isError && <ErrorNote error={share.error} />}
      <div className="actions">
        <button type="submit" disabled={share.isPending || !changed(chosen, resource.shared_with)}>
          {share.isPending ? t("booking.working") : t("booking.resources.share.save")}
        </button>
        {resource.shared_with.length > 0 && (
          <button
            type="button"
            disabled={share.isPending}
            onClick={() => {
              setSaid("");
              setChosen([]);
              share.mutate([]);
            }}
          >
            {t("booking.resources.share.stop")}
          </button>
        )}
      </div>
    </form>
  );
}

function FeedSection({ resource, feed, onFeed }: { resource: Resource; feed: Feed | undefined; onFeed: (feed: Feed | undefined) => void }) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const queries = useQueryClient();
  const address = useRef<HTMLTextAreaElement>(null);
  const [said, setSaid] = useState("");
  const [confirming, setConfirming] = useState<"renew" | "revoke" | null>(null);
  // Whether it has an address now, made on this page or before (the address itself is shown only once).
  const exists = feed !== undefined || resource.has_calendar_feed;
  // Shown at once: the list read straight after the write may not have it yet.
  const remember = (has: boolean) =>
    queries.setQueryData<Resource[]>(["resources"], (list) => list?.map((r) => (r.id === resource.id ? { ...r, has_calendar_feed: has } : r)));
  const issue = useMutation({
    mutationFn: async () => unwrap(await api.POST("/v1/resources/{resource_id}/calendar-feed", { params: { path: { resource_id: resource.id } } })),
    onSuccess: (made) => {
      onFeed(made);
      remember(true);
      setSaid(t("booking.resources.feed.issued"));
    },
  });
  const revoke = useMutation({
    mutationFn: async () => {
      const answer = await api.DELETE("/v1/resources/{resource_id}/calendar-feed", { params: { path: { resource_id: resource.id } } });
      if (!answer.response.ok) unwrap({ ...answer, data: undefined });
    },
    onSuccess: () => {
      onFeed(undefined);
      remember(false);
      setSaid(t("booking.resources.feed.revoked"));
    },
  });
  const url = feed ? feedAddress(globalThis.location.origin, feed.path) : "";
  const busy = issue.isPending || revoke.isPending;

  async function copy() {
    try {
      await navigator.clipboard.writeText(url);
      setSaid(t("booking.resources.feed.copied"));
    } catch {
      address.current?.select();
      setSaid(t("booking.resources.feed.copyYourself"));
    }
  }

  function ask(what: "renew" | "revoke") {
    setSaid("");
    issue.reset();
    revoke.reset();
    setConfirming(what);
  }

  return (
    <section aria-labelledby={`${id}-feed`}>
      <h3 id={`${id}-feed`}>{t("booking.resources.feed.title", { name: resource.name })}</h3>
      <p className="hint">{t("booking.resources.feed.hint")}</p>
      {exists && !feed && <p>{t("booking.resources.feed.exists")}</p>}
      {feed && (
        <>
          <div className="feed-address">
            <label>
              {t("booking.resources.feed.address")}
              <textarea ref={address} readOnly rows={2} value={url} onFocus={(e) => e.target.select()} />
            </label>
            <button type="button" onClick={() => void copy()}>
              {t("booking.resources.feed.copy")}
            </button>
          </div>
          <p className="hint">{i18n.language === "th" ? feed.note_th : t("booking.mine.feedNote")}</p>
          <h4>{t("booking.resources.feed.howTitle")}</h4>
          <ul className="subscribe">
            <li>{t("booking.resources.feed.outlook")}</li>
            <li>{t("booking.resources.feed.google")}</li>
            <li>{t("booking.resources.feed.phone")}</li>
          </ul>
        </>
      )}
      <p role="status" className="said">
        {said}
      </p>
      {(issue.isError || revoke.isError) && <ErrorNote error={issue.error ?? revoke.error} />}
      <div className="actions">
        <button
          type="button"
          disabled={busy}
          onClick={() => {
            // A new address stops the old one for every calendar subscribed to it: asked first.
            if (exists) {
              ask("renew");
              return;
            }
            setSaid("");
            revoke.reset();
            issue.mutate();
          }}
        >
          {issue.isPending ? t("booking.working") : exists ? t("booking.resources.feed.renew") : t("booking.resources.feed.issue")}
        </button>
        {exists && (
          <button type="button" disabled={busy} onClick={() => ask("revoke")}>
            {t("booking.resources.feed.revoke")}
          </button>
        )}
      </div>
      {confirming === "revoke" && (
        <FieldsDialog
          title={t("booking.resources.feed.revokeTitle")}
          summary={t("booking.resources.feed.revokeSummary", { name: resource.name })}
          fields={[]}
          submit={t("booking.resources.feed.confirmRevoke")}
          onSubmit={() => revoke.mutateAsync()}
          onClose={() => setConfirming(null)}
        />
      )}
      {confirming === "renew" && (
        <FieldsDialog
          title={t("booking.resources.feed.renewTitle")}
          summary={t("booking.resources.feed.renewSummary", { name: resource.name })}
          fields={[]}
          submit={t("booking.resources.feed.confirmRenew")}
          onSubmit={() => issue.mutateAsync()}
          onClose={() => setConfirming(null)}
        />
      )}
    </section>
  );
}
