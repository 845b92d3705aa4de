import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useState, type SyntheticEvent } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../api/client";
import { hasRole, useMe } from "../api/me";
import { download } from "../api/transfer";
import { ErrorNote } from "../components/ErrorNote";
import { buddhistYear } from "../format/buddhistDate";
import { useFormat } from "../format/useFormat";
import "../screens/saraban.css";
import "./archive.css";
import { ARCHIVE, useTransferLists, useTransferRows, type TransferList } from "./api";
import { ArchiveNav } from "./ArchiveNav";
import { dayText } from "./steps";

type Part = { part: number; records: number; bag_count: string; sha256: string; download_url: string; remaining: number };

/** /archive/transfers: the yearly list of records 20 years old for the National Archives (แบบที่ 21,
 * ข้อ 58–59), the lines the agency keeps itself, and the BagIt packages made part by part. */
export function Transfers() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const me = useMe();
  const records = hasRole(me.data, "records");
  const lists = useTransferLists();
  const queries = useQueryClient();
  const thisYear = buddhistYear(new Date());
  const [year, setYear] = useState(String(thisYear));
  const [open, setOpen] = useState<number | null>(null);
  const draft = useMutation({
    mutationFn: async (y: number) => unwrap(await api.POST("/v1/archive/transfers", { body: { year: y } })),
    onSuccess: async (made) => {
      setOpen(made.year);
      await queries.invalidateQueries({ queryKey: [ARCHIVE, "transfers"] });
    },
  });
  const chosen = lists.data?.find((l) => l.year === open) ?? null;
  return (
    <section>
      <h1>{t("archive.transfers.title")}</h1>
      <ArchiveNav />
      <p className="hint">{t("archive.transfers.intro")}</p>
      {records && (
        <form
          className="card archive-section toolbar"
          aria-labelledby="draft-title"
          onSubmit={(e: SyntheticEvent) => {
            e.preventDefault();
            draft.mutate(Number(year));
          }}
        >
          <h2 id="draft-title" style={{ flexBasis: "100%", margin: 0 }}>
            {t("archive.transfers.draft")}
          </h2>
          <label>
            {t("archive.transfers.year")}
            <input type="number" min={2400} max={thisYear} required value={year} onChange={(e) => setYear(e.target.value)} />
          </label>
          <button type="submit" className="primary" disabled={draft.isPending}>
            {draft.isPending ? t("archive.working") : t("archive.transfers.draftSubmit")}
          </button>
          {draft.isError && <ErrorNote error={draft.error} />}
        </form>
      )}
      <h2>{t("archive.transfers.lists")}</h2>
      {lists.isPending && <p aria-busy="true">{t("app.loading")}</p>}
      {lists.isError && <ErrorNote error={lists.error} onRetry={() => void lists.refetch()} />}
      {lists.data &&
        (lists.data.length === 0 ? (
          <p className="empty">{t("archive.transfers.none")}</p>
        ) : (
          <div className="scroll" tabIndex={0} role="region" aria-label={t("archive.scroll")}>
            <table className="register">
              <caption className="visually-hidden">{t("archive.transfers.lists")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("archive.transfers.listTitle")}</th>
                  <th scope="col">{t("archive.destruction.state")}</th>
                  <th scope="col">{t("archive.transfers.toTransfer")}</th>
                  <th scope="col">{t("archive.transfers.self")}</th>
                  <th scope="col">{t("archive.transfers.transferred")}</th>
                  <th scope="col">{t("archive.transfers.classified")}</th>
                  <th scope="col">{t("archive.columns.manage")}</th>
                </tr>
              </thead>
              <tbody>
                {lists.data.map((l) => (
                  <tr key={l.year} className={open === l.year ? "selected" : undefined}>
                    <td>{l.title}</td>
                    <td>{l.state_th}</td>
                    <td className="nowrap">{fmt.digits(l.to_transfer)}</td>
                    <td className="nowrap">{fmt.digits(l.kept_by_agency)}</td>
                    <td className="nowrap">{fmt.digits(l.transferred)}</td>
                    <td className="nowrap">{fmt.digits(l.classified_left_off)}</td>
                    <td>
                      <button type="button" aria-pressed={open === l.year} onClick={() => setOpen(open === l.year ? null : l.year)}>
                        {t("archive.register.open")}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
      {chosen && <TransferDetail list={chosen} records={records} />}
    </section>
  );
}

function TransferDetail({ list, records }: { list: TransferList; records: boolean }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const queries = useQueryClient();
  const rows = useTransferRows(list.year);
  const [picked, setPicked] = useState<number[]>([]);
  const [reason, setReason] = useState("");
  const [pdfError, setPdfError] = useState<unknown>(null);
  const [parts, setParts] = useState<Part[]>([]);
  const refresh = () => queries.invalidateQueries({ queryKey: [ARCHIVE, "transfers"] });
  const move = useMutation({
    mutationFn: async (to: "self" | "transfer") =>
      unwrap(await api.POST("/v1/archive/transfers/{year}/moves", { params: { path: { year: list.year } }, body: { numbers: picked, to, reason: reason.trim() } })),
    onSuccess: async () => {
      setPicked([]);
      setReason("");
      await refresh();
    },
  });
  // Every part, one call after another, until none remains: the progress is the parts made so far.
  const pack = useMutation({
    mutationFn: async () => {
      for (;;) {
        const part = unwrap(await api.POST("/v1/archive/transfers/{year}/package", { params: { path: { year: list.year } } }));
        setParts((made) => [...made.filter((p) => p.part !== part.part), part]);
        if (part.remaining === 0) return part;
      }
    },
    onSettled: refresh,
  });
  const total = list.to_transfer + list.transferred;
  const done = Math.max(list.transferred, parts.reduce((n, p) => n + p.records, 0));
  const packaged = list.packages.length > 0 || list.state !== "drafted";

  async function pdf(which: "transfer" | "self") {
    setPdfError(null);
    try {
      await download(`/v1/archive/transfers/${list.year}/form.pdf?which=${which}`, "application/pdf", `form-21-${list.year}-${which}.pdf`);
    } catch (failure) {
      setPdfError(failure);
    }
  }

  return (
    <div className="card archive-section">
      <h2>{list.title}</h2>
      <div className="toolbar">
        <button type="button" onClick={() => void pdf("transfer")}>
          {t("archive.transfers.pdfTransfer")}
        </button>
        <button type="button" onClick={() => void pdf("self")}>
          {t("archive.transfers.pdfSelf")}
        </button>
      </div>
      {pdfError !== null && <ErrorNote error={pdfError} />}
      {rows.isError && <ErrorNote error={rows.error} onRetry={() => void rows.refetch()} />}
      {rows.data &&
        (rows.data.length === 0 ? (
          <p className="empty">{t("archive.transfers.noRows")}</p>
        ) : (
          <div className="scroll" tabIndex={0} role="region" aria-label={t("archive.scroll")}>
            <table className="register">
              <caption className="visually-hidden">{list.title}</caption>
              <thead>
                <tr>
                  {records && !packaged && <th scope="col">{t("archive.send.pick")}</th>}
                  <th scope="col">{t("archive.columns.number")}</th>
                  <th scope="col">{t("archive.transfers.onList")}</th>
                  <th scope="col">{t("archive.columns.fileCode")}</th>
                  <th scope="col">{t("archive.columns.reference")}</th>
                  <th scope="col">{t("archive.columns.letterDate")}</th>
                  <th scope="col">{t("archive.columns.subject")}</th>
                  <th scope="col">{t("archive.columns.note")}</th>
                  <th scope="col">{t("archive.review.outcome")}</th>
                </tr>
              </thead>
              <tbody>
                {rows.data.map((r) => (
                  <tr key={r.number}>
                    {records && !packaged && (
                      <td>
                        <input
                          type="checkbox"
                          aria-label={t("archive.transfers.pickLine", { number: r.number })}
                          checked={picked.includes(r.number)}
                          onChange={(e) => setPicked(e.target.checked ? [...picked, r.number] : picked.filter((n) => n !== r.number))}
                        />
                      </td>
                    )}
                    <td className="nowrap">{fmt.digits(r.number)}</td>
                    <td className="nowrap">{r.list === "self" ? t("archive.transfers.selfList") : t("archive.transfers.transferList")}</td>
                    <td className="nowrap">{fmt.digits(r.file_code)}</td>
                    <td className="nowrap">{fmt.digits(r.reference)}</td>
                    <td className="nowrap">{dayText(r.letter_date, fmt)}</td>
                    <td className="subject">
                      <Link to="/documents/$documentId" params={{ documentId: r.document_id }}>
                        {r.subject}
                      </Link>
                    </td>
                    <td>{r.note}</td>
                    <td>{r.outcome ? t("archive.transfers.inPart", { part: fmt.digits(r.package ?? 0) }) : ""}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
      {records && !packaged && (
        <div className="toolbar">
          <label>
            {t("archive.transfers.moveReason")}
            <input maxLength={200} value={reason} onChange={(e) => setReason(e.target.value)} />
          </label>
          <button type="button" disabled={move.isPending || picked.length === 0 || !reason.trim()} onClick={() => move.mutate("self")}>
            {t("archive.transfers.moveSelf")}
          </button>
          <button type="button" disabled={move.isPending || picked.length === 0 || !reason.trim()} onClick={() => move.mutate("transfer")}>
            {t("archive.transfers.moveBack")}
          </button>
        </div>
      )}
      {move.isError && <ErrorNote error={move.error} />}
      {records && list.state !== "transferred" && list.to_transfer > 0 && (
        <button type="button" className="primary" disabled={pack.isPending} onClick={() => pack.mutate()}>
          {pack.isPending ? t("archive.transfers.packing") : t("archive.transfers.pack")}
        </button>
      )}
      {(pack.isPending || parts.length > 0) && total > 0 && (
        <p>
          <label>
            {t("archive.transfers.progress", { done: fmt.digits(done), total: fmt.digits(total) })}
            <progress max={total} value={done} style={{ display: "block", width: "100%" }} />
          </label>
        </p>
      )}
      {pack.isError && <ErrorNote error={pack.error} />}
      {parts.length > 0 && (
        <ul>
          {parts.map((p) => (
            <li key={p.part}>
              <a href={p.download_url} download>
                {t("archive.transfers.partLink", { part: fmt.digits(p.part), records: fmt.digits(p.records), count: p.bag_count })}
              </a>{" "}
              <span className="detail">SHA-256 {p.sha256.slice(0, 16)}…</span>
            </li>
          ))}
        </ul>
      )}
      {parts.length === 0 && list.packages.length > 0 && (
        <ul>
          {list.packages.map((p) => (
            <li key={p.part}>
              {t("archive.transfers.partMade", { part: fmt.digits(p.part), records: fmt.digits(p.records), date: fmt.dateTime(p.made_at) })}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
