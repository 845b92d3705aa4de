import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Link, useSearch } from "@tanstack/react-router";
import { useState, type SyntheticEvent } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../api/client";
import { hasRole, useMe } from "../api/me";
import { ErrorNote } from "../components/ErrorNote";
import { ReasonDialog } from "../components/ReasonDialog";
import { buddhistYear, parseBuddhistDate } from "../format/buddhistDate";
import { thaiSorted } from "../format/thai";
import { useFormat } from "../format/useFormat";
import { useUsers } from "../letters/api";
import "../screens/saraban.css";
import "./archive.css";
import { ARCHIVE, useLoans, useStoredRegister, type Loan } from "./api";
import { ArchiveNav } from "./ArchiveNav";
import { FieldsDialog } from "../components/FieldsDialog";
import { bangkokToday, daysOverdue } from "./steps";

/** /archive/loans: บัตรยืมหนังสือ (ข้อ 62–65): asking to borrow a stored record, the decision of a head,
 * the records officer handing it out and taking it back; overdue loans marked. */
export function Loans() {
  const { t } = useTranslation();
  const me = useMe();
  const [overdue, setOverdue] = useState(false);
  const loans = useLoans(overdue);
  return (
    <section>
      <h1>{t("archive.loans.title")}</h1>
      <ArchiveNav />
      <RequestLoan records={hasRole(me.data, "records")} />
      <h2 id="cards-title">{t("archive.loans.cards")}</h2>
      <label className="check">
        <input type="checkbox" checked={overdue} onChange={(e) => setOverdue(e.target.checked)} />
        <span>{t("archive.loans.onlyOverdue")}</span>
      </label>
      {loans.isPending && <p aria-busy="true">{t("app.loading")}</p>}
      {loans.isError && <ErrorNote error={loans.error} onRetry={() => void loans.refetch()} />}
      {loans.data &&
        (loans.data.length === 0 ? (
          <p className="empty">{overdue ? t("archive.loans.noneOverdue") : t("archive.loans.none")}</p>
        ) : (
          <LoanTable loans={loans.data} />
        ))}
    </section>
  );
}

type Who = "self" | "user" | "outsider";

function RequestLoan({ records }: { records: boolean }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const search = useSearch({ from: "/archive/loans" });
  const users = useUsers();
  const queries = useQueryClient();
  const thisYear = buddhistYear(new Date());
  const [year, setYear] = useState(thisYear);
  const register = useStoredRegister(year);
  const [form, setForm] = useState({
    document: search.document ?? "",
    purpose: "",
    due: "",
    who: "self" as Who,
    user: "",
    name: "",
    position: "",
    agency: "",
  });
  const [badDue, setBadDue] = useState(false);
  const [said, setSaid] = useState("");
  const ask = useMutation({
    mutationFn: async (due: string) =>
      unwrap(
        await api.POST("/v1/archive/loans", {
          body: {
            document_id: form.document,
            purpose: form.purpose.trim(),
            due,
            borrower_user_id: form.who === "user" ? form.user : null,
            outsider:
              form.who === "outsider" ? { name: form.name.trim(), position: form.position.trim(), agency: form.agency.trim() } : null,
          },
        }),
      ),
    onSuccess: async (loan) => {
      setSaid(t("archive.loans.asked", { item: loan.item }));
      setForm({ ...form, document: "", purpose: "", due: "" });
      await queries.invalidateQueries({ queryKey: [ARCHIVE, "loans"] });
    },
  });
  function submit(event: SyntheticEvent) {
    event.preventDefault();
    setSaid("");
    const due = parseBuddhistDate(form.due);
    setBadDue(!due?.ok);
    if (!due?.ok) return;
    ask.mutate(due.iso);
  }
  const entries = register.data?.entries ?? [];
  const inList = entries.some((e) => e.document_id === form.document);
  return (
    <form className="card archive-section" aria-labelledby="ask-title" onSubmit={submit}>
      <h2 id="ask-title">{t("archive.loans.ask")}</h2>
      <div className="grid-form">
        <label className="archive-field">
          {t("archive.loans.storedIn")}
          <select value={year} onChange={(e) => setYear(Number(e.target.value))}>
            {Array.from({ length: 11 }, (_, i) => thisYear - i).map((y) => (
              <option key={y} value={y}>
                {t("archive.yearOption", { year: fmt.digits(y) })}
              </option>
            ))}
          </select>
        </label>
        <label className="archive-field" style={{ gridColumn: "span 2" }}>
          {t("archive.loans.item")}
          <select required value={form.document} onChange={(e) => setForm({ ...form, document: e.target.value })}>
            <option value="">{t("archive.loans.pickItem")}</option>
            {form.document && !inList && <option value={form.document}>{t("archive.loans.chosenItem")}</option>}
            {entries.map((e) => (
              <option key={e.number} value={e.document_id}>
                {fmt.digits(e.number)}. {e.subject} {e.file_code ? `(${e.file_code})` : ""}
              </option>
            ))}
          </select>
        </label>
      </div>
      {register.isError && <ErrorNote error={register.error} onRetry={() => void register.refetch()} />}
      <label className="archive-field">
        {t("archive.loans.purpose")}
        <input required maxLength={300} value={form.purpose} onChange={(e) => setForm({ ...form, purpose: e.target.value })} />
      </label>
      <div className="grid-form">
        <label className="archive-field">
          {t("archive.loans.due")}
          <input
            inputMode="numeric"
            required
            placeholder={t("archive.datePlaceholder")}
            value={form.due}
            aria-invalid={badDue}
            aria-describedby={badDue ? "due-bad" : undefined}
            onChange={(e) => setForm({ ...form, due: e.target.value })}
          />
          {badDue && (
            <span role="alert" className="error field-problem" id="due-bad">
              {t("archive.badDate")}
            </span>
          )}
        </label>
        <label className="archive-field">
          {t("archive.loans.borrower")}
          <select value={form.who} onChange={(e) => setForm({ ...form, who: e.target.value as Who })} disabled={!records}>
            <option value="self">{t("archive.loans.self")}</option>
            {records && <option value="user">{t("archive.loans.user")}</option>}
            {records && <option value="outsider">{t("archive.loans.outsider")}</option>}
          </select>
        </label>
        {form.who === "user" && (
          <label className="archive-field">
            {t("archive.loans.userLabel")}
            <select required value={form.user} onChange={(e) => setForm({ ...form, user: e.target.value })}>
              <option value="">{t("archive.loans.pickUser")}</option>
              {thaiSorted(users.data ?? [], (u) => u.name).map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name} ({u.position})
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      {form.who === "outsider" && (
        <div className="grid-form">
          <label className="archive-field">
            {t("archive.loans.outsiderName")}
            <input required maxLength={200} value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
          </label>
          <label className="archive-field">
            {t("archive.loans.outsiderPosition")}
            <input required maxLength={200} value={form.position} onChange={(e) => setForm({ ...form, position: e.target.value })} />
          </label>
          <label className="archive-field">
            {t("archive.loans.outsiderAgency")}
            <input required maxLength={200} value={form.agency} onChange={(e) => setForm({ ...form, agency: e.target.value })} />
          </label>
        </div>
      )}
      {!records && <p className="hint">{t("archive.loans.selfOnly")}</p>}
      {ask.isError && <ErrorNote error={ask.error} />}
      <p role="status" className="said">
        {said}
      </p>
      <button type="submit" className="primary" disabled={ask.isPending || !form.document}>
        {ask.isPending ? t("archive.working") : t("archive.loans.submit")}
      </button>
    </form>
  );
}

type Act = { loan: Loan; what: "refuse" | "handOut" | "return" };

function LoanTable({ loans }: { loans: Loan[] }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const me = useMe();
  const queries = useQueryClient();
  const [acting, setActing] = useState<Act | null>(null);
  const [said, setSaid] = useState("");
  const today = bangkokToday();
  const approver = hasRole(me.data, "head", "director");
  const records = hasRole(me.data, "records");
  const done = async (message: string) => {
    setSaid(message);
    await queries.invalidateQueries({ queryKey: [ARCHIVE, "loans"] });
  };
  const decide = useMutation({
    mutationFn: async ({ loan, approve, note }: { loan: Loan; approve: boolean; note: string }) =>
      unwrap(await api.POST("/v1/archive/loans/{loan_id}/decision", { params: { path: { loan_id: loan.loan_id } }, body: { approve, note } })),
    onSuccess: (loan) => done(t("archive.loans.decided", { state: loan.state_th })),
  });
  const handOut = useMutation({
    mutationFn: async ({ loan, name, position }: { loan: Loan; name: string; position: string }) =>
      unwrap(
        await api.POST("/v1/archive/loans/{loan_id}/hand-out", {
          params: { path: { loan_id: loan.loan_id } },
          body: { receiver_name: name, receiver_position: position },
        }),
      ),
    onSuccess: (loan) => done(t("archive.loans.handedOut", { item: loan.item })),
  });
  const giveBack = useMutation({
    mutationFn: async ({ loan, name, position }: { loan: Loan; name: string; position: string }) =>
      unwrap(
        await api.POST("/v1/archive/loans/{loan_id}/return", {
          params: { path: { loan_id: loan.loan_id } },
          body: { returner_name: name, returner_position: position },
        }),
      ),
    onSuccess: (loan) => done(t("archive.loans.returned", { item: loan.item })),
  });
  return (
    <>
      <p role="status" className="said">
        {said}
      </p>
      {decide.isError && <ErrorNote error={decide.error} />}
      <div className="scroll" tabIndex={0} role="region" aria-label={t("archive.scroll")}>
        <table className="register archive-table" aria-labelledby="cards-title">
          <thead>
            <tr>
              <th scope="col">{t("archive.loans.item")}</th>
              <th scope="col">{t("archive.loans.purpose")}</th>
              <th scope="col">{t("archive.loans.borrower")}</th>
              <th scope="col">{t("archive.loans.state")}</th>
              <th scope="col">{t("archive.loans.due")}</th>
              <th scope="col">{t("archive.loans.lent")}</th>
              <th scope="col">{t("archive.loans.back")}</th>
              <th scope="col">{t("archive.columns.manage")}</th>
            </tr>
          </thead>
          <tbody>
            {loans.map((loan) => {
              const late = loan.overdue ? daysOverdue(loan.due, today) : 0;
              const own = loan.borrower.user_id === me.data?.user_id;
              return (
                <tr key={loan.loan_id} className={loan.overdue ? "overdue-row" : undefined}>
                  <td className="subject">
                    <Link to="/documents/$documentId" params={{ documentId: loan.document_id }}>
                      {loan.item}
                    </Link>
                  </td>
                  <td>{loan.purpose}</td>
                  <td>
                    {loan.borrower.name}
                    <span className="detail block">
                      {loan.borrower.position}
                      {loan.borrower.agency ? ` · ${loan.borrower.agency}` : ""}
                    </span>
                  </td>
                  <td>
                    {loan.state_th}
                    {loan.approver && <span className="detail block">{t("archive.loans.by", { name: loan.approver.name })}</span>}
                    {loan.decision_note && <span className="detail block">{loan.decision_note}</span>}
                  </td>
                  <td className="nowrap">
                    {fmt.date(loan.due)}
                    {loan.overdue && (
                      <strong className="overdue-mark block">{t("archive.loans.overdue", { days: fmt.digits(late) })}</strong>
                    )}
                  </td>
                  <td>
                    <span className="nowrap">{fmt.date(loan.lent_on)}</span>
                    {loan.receiver && <span className="detail block">{t("archive.loans.takenBy", { name: loan.receiver })}</span>}
                  </td>
                  <td>
                    <span className="nowrap">{fmt.date(loan.returned_on)}</span>
                    {loan.returner && <span className="detail block">{t("archive.loans.returnedBy", { name: loan.returner })}</span>}
                  </td>
                  <td className="manage">
                    {loan.state === "requested" && approver && !own && (
                      <>
                        <button
                          type="button"
                          disabled={decide.isPending}
                          aria-label={t("archive.loans.approveOf", { item: loan.item })}
                          onClick={() => decide.mutate({ loan, approve: true, note: "" })}
                        >
                          {t("archive.loans.approve")}
                        </button>
                        <button type="button" aria-label={t("archive.loans.refuseOf", { item: loan.item })} onClick={() => setActing({ loan, what: "refuse" })}>
                          {t("archive.loans.refuse")}
                        </button>
                      </>
                    )}
                    {loan.state === "approved" && records && (
                      <button type="button" aria-label={t("archive.loans.handOutOf", { item: loan.item })} onClick={() => setActing({ loan, what: "handOut" })}>
                        {t("archive.loans.handOut")}
                      </button>
                    )}
                    {loan.state === "lent" && records && (
                      <button type="button" aria-label={t("archive.loans.returnOf", { item: loan.item })} onClick={() => setActing({ loan, what: "return" })}>
                        {t("archive.loans.return")}
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {acting?.what === "refuse" && (
        <ReasonDialog
          title={t("archive.loans.refuseTitle")}
          summary={acting.loan.item}
          label={t("archive.loans.refuseReason")}
          submit={t("archive.loans.refuse")}
          onSubmit={(note) => decide.mutateAsync({ loan: acting.loan, approve: false, note })}
          onClose={() => setActing(null)}
        />
      )}
      {acting?.what === "handOut" && (
        <FieldsDialog
          title={t("archive.loans.handOutTitle")}
          summary={acting.loan.item}
          fields={[
            { name: "name", label: t("archive.loans.receiverName"), required: true, initial: acting.loan.borrower.name },
            { name: "position", label: t("archive.loans.receiverPosition"), initial: acting.loan.borrower.position },
          ]}
          submit={t("archive.loans.handOut")}
          onSubmit={(v) => handOut.mutateAsync({ loan: acting.loan, name: v.name ?? "", position: v.position ?? "" })}
          onClose={() => setActing(null)}
        />
      )}
      {acting?.what === "return" && (
        <FieldsDialog
          title={t("archive.loans.returnTitle")}
          summary={acting.loan.item}
          fields={[
            { name: "name", label: t("archive.loans.returnerName"), required: true, initial: acting.loan.borrower.name },
            { name: "position", label: t("archive.loans.returnerPosition"), initial: acting.loan.borrower.position },
          ]}
          submit={t("archive.loans.return")}
          onSubmit={(v) => giveBack.mutateAsync({ loan: acting.loan, name: v.name ?? "", position: v.position ?? "" })}
          onClose={() => setActing(null)}
        />
      )}
    </>
  );
}
