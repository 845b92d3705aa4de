import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Fragment, useId, useState, type SyntheticEvent } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../api/client";
import { hasRole, useMe } from "../api/me";
import type { components } from "../api/schema";
import "../screens/saraban.css";
import { ErrorNote } from "../components/ErrorNote";
import { useFormat } from "../format/useFormat";
import { ofKind, useAgencies, useResources, useUsers, type Kind, type Resource } from "./api";
import { ResourceSettings, sharingLine, type Feed } from "./ResourceSettings";
import { agencyName } from "./sharing";
import { BookingNav } from "./BookingNav";
import { ClockInput } from "./ClockInput";
import { parseClock } from "./week";

type Command = components["schemas"]["ResourceCommand"];
interface Fields {
  kind: Kind;
  name: string;
  capacity: string;
  building: string;
  floor: string;
  plate: string;
  vehicleType: string;
  equipment: string;
  driverUser: string;
  approval: boolean;
  approvers: string[];
  officers: string[];
  opens: string;
  closes: string;
  holdHours: string;
}
const EMPTY: Fields = {
  kind: "room",
  name: "",
  capacity: "",
  building: "",
  floor: "",
  plate: "",
  vehicleType: "",
  equipment: "",
  driverUser: "",
  approval: true,
  approvers: [],
  officers: [],
  opens: "07:00",
  closes: "20:00",
  holdHours: "48",
};

/** The agency's rooms, vehicles and drivers, with who approves and who looks after each, and those other
 * agencies share with it; the admin adds one, and the admin or its officer puts it in maintenance (nobody
 * books it) and back. Under a resource's row, the admin shares it with other agencies, and the admin or its
 * officer makes (or revokes) its calendar address. */
export function Resources() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const me = useMe();
  const admin = hasRole(me.data, "admin");
  const resources = useResources();
  const users = useUsers();
  const queries = useQueryClient();
  const id = useId();
  const [fields, setFields] = useState<Fields>(EMPTY);
  const [said, setSaid] = useState("");
  const [open, setOpen] = useState<string | null>(null); // the resource whose sharing and calendar show
  const [feeds, setFeeds] = useState<Record<string, Feed>>({}); // addresses made on this page
  const mine = (r: Resource) => r.owner === me.data?.agency.id;
  // The agencies by name: to share with (the admin), or to name the one sharing a resource with us.
  const agencies = useAgencies(admin || (resources.data ?? []).some((r) => !mine(r) || r.shared_with.length > 0));
  const nameOf = (userId: string) => users.data?.find((u) => u.id === userId)?.name ?? userId;
  const add = useMutation({
    mutationFn: async () => {
      const body: Command = {
        kind: fields.kind,
        name: fields.name.trim(),
        capacity: Number(fields.capacity) || 0,
        equipment: fields.equipment
          .split(",")
          .map((e) => e.trim())
          .filter(Boolean),
        building: fields.kind === "room" ? fields.building.trim() : "",
        floor: fields.kind === "room" ? fields.floor.trim() : "",
        plate: fields.kind === "vehicle" ? fields.plate.trim() : "",
        vehicle_type: fields.kind === "vehicle" ? fields.vehicleType.trim() : "",
        user_id: fields.kind === "driver" && fields.driverUser ? fields.driverUser : null,
        approvers: fields.approval ? fields.approvers : [],
        officers: fields.officers,
        rules: {
          opens: parseClock(fields.opens) ?? fields.opens,
          closes: parseClock(fields.closes) ?? fields.closes,
          min_notice_minutes: 0,
          max_minutes: fields.kind === "room" ? 12 * 60 : 7 * 24 * 60,
          cancel_before_minutes: 0,
          approval: fields.approval,
          hold_hours: Number(fields.holdHours) || 48,
        },
      };
      return unwrap(await api.POST("/v1/resources", { body }));
    },
    onSuccess: (made) => {
      setSaid(t("booking.resources.added", { name: made.name }));
      setFields({ ...EMPTY, kind: fields.kind, approvers: fields.approvers, officers: fields.officers });
      // Shown at once: the list read straight after the write may not have it yet.
      queries.setQueryData<Resource[]>(["resources"], (list) => (list?.some((r) => r.id === made.id) ? list : [...(list ?? []), made]));
    },
  });
  const status = useMutation({
    mutationFn: async (resource: Resource) =>
      unwrap(
        await api.PATCH("/v1/resources/{resource_id}", {
          params: { path: { resource_id: resource.id } },
          // Only the status: a field sent as null would be written as null (the API changes what it is sent),
          // though the generated type asks for every field.
          body: { status: resource.status === "available" ? "maintenance" : "available" } as components["schemas"]["ResourceChange"],
        }),
      ),
    onSuccess: (changed) => {
      setSaid(t(changed.status === "available" ? "booking.resources.nowAvailable" : "booking.resources.nowMaintenance", { name: changed.name }));
      queries.setQueryData<Resource[]>(["resources"], (list) => list?.map((r) => (r.id === changed.id ? changed : r)));
    },
  });

  function set<K extends keyof Fields>(key: K, value: Fields[K]) {
    setFields({ ...fields, [key]: value });
  }

  function submit(event: SyntheticEvent) {
    event.preventDefault();
    setSaid("");
    add.mutate();
  }

  const people = users.data ?? [];
  const chosen = (select: HTMLSelectElement) => [...select.selectedOptions].map((o) => o.value);
  const kinds: Kind[] = ["room", "vehicle", "driver"];
  return (
    <section className="bk">
      <h1>{t("booking.resources.title")}</h1>
      <BookingNav />
      <p role="status" className="said">
        {said}
      </p>
      {status.isError && <ErrorNote error={status.error} />}
      {resources.isPending && <p aria-busy="true">{t("app.loading")}</p>}
      {resources.isError && <ErrorNote error={resources.error} onRetry={() => void resources.refetch()} />}
      {resources.data && resources.data.length === 0 && <p className="empty">{t("booking.noResources")}</p>}
      {admin ? (
        <form className="card" onSubmit={submit} aria-labelledby={`${id}-add`}>
          <h2 id={`${id}-add`}>{t("booking.resources.addTitle")}</h2>
          <fieldset disabled={add.isPending}>
            <legend>{t("booking.resources.what")}</legend>
            <div className="pair">
              <label>
                {t("booking.resources.kind")}
                <select value={fields.kind} onChange={(e) => set("kind", e.target.value as Kind)}>
                  {kinds.map((k) => (
                    <option key={k} value={k}>
                      {t(`booking.kinds.${k}`)}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                {t("booking.resources.name")}
                <input required maxLength={200} value={fields.name} onChange={(e) => set("name", e.target.value)} />
              </label>
            </div>
            {fields.kind !== "driver" && (
              <label>
                {fields.kind === "room" ? t("booking.resources.seats") : t("booking.resources.riders")}
                <input type="number" min={0} max={10000} value={fields.capacity} onChange={(e) => set("capacity", e.target.value)} />
              </label>
            )}
            {fields.kind === "room" && (
              <div className="pair">
                <label>
                  {t("booking.resources.building")}
                  <input maxLength={200} value={fields.building} onChange={(e) => set("building", e.target.value)} />
                </label>
                <label>
                  {t("booking.resources.floor")}
                  <input maxLength={200} value={fields.floor} onChange={(e) => set("floor", e.target.value)} />
                </label>
              </div>
            )}
            {fields.kind === "vehicle" && (
              <div className="pair">
                <label>
                  {t("booking.resources.plate")}
                  <input maxLength={200} value={fields.plate} onChange={(e) => set("plate", e.target.value)} />
                </label>
                <label>
                  {t("booking.resources.vehicleType")}
                  <input maxLength={200} value={fields.vehicleType} placeholder={t("booking.resources.vehicleTypeExample")} onChange={(e) => set("vehicleType", e.target.value)} />
                </label>
              </div>
            )}
            {fields.kind === "driver" && (
              <label>
                {t("booking.resources.driverUser")}
                <select value={fields.driverUser} onChange={(e) => set("driverUser", e.target.value)}>
                  <option value="">{t("booking.resources.noUser")}</option>
                  {people.map((u) => (
                    <option key={u.id} value={u.id}>
                      {u.name} ({u.position})
                    </option>
                  ))}
                </select>
              </label>
            )}
            {fields.kind === "room" && (
              <>
                <label>
                  {t("booking.resources.equipment")}
                  <input maxLength={600} value={fields.equipment} placeholder={t("booking.resources.equipmentExample")} onChange={(e) => set("equipment", e.target.value)} />
                </label>
                <div className="pair">
                  <label>
                    {t("booking.resources.opens")}
                    <ClockInput value={fields.opens} onChange={(value) => set("opens", value)} />
                  </label>
                  <label>
                    {t("booking.resources.closes")}
                    <ClockInput value={fields.closes} onChange={(value) => set("closes", value)} />
                  </label>
                </div>
              </>
            )}
          </fieldset>
          <fieldset disabled={add.isPending}>
            <legend>{t("booking.resources.who")}</legend>
            {fields.kind !== "driver" && (
              <label className="check">
                <input type="checkbox" checked={fields.approval} onChange={(e) => set("approval", e.target.checked)} />
                {t("booking.resources.needsApproval")}
              </label>
            )}
            {fields.approval && fields.kind !== "driver" && (
              <>
                <label>
                  {t("booking.resources.approvers")}
                  <select multiple value={fields.approvers} onChange={(e) => set("approvers", chosen(e.target))} aria-describedby={`${id}-multi`}>
                    {people.map((u) => (
                      <option key={u.id} value={u.id}>
                        {u.name} ({u.position})
                      </option>
                    ))}
                  </select>
                </label>
                <label>
                  {t("booking.resources.holdHours")}
                  <input type="number" min={1} max={336} value={fields.holdHours} onChange={(e) => set("holdHours", e.target.value)} />
                </label>
              </>
            )}
            <label>
              {t("booking.resources.officers")}
              <select multiple value={fields.officers} onChange={(e) => set("officers", chosen(e.target))} aria-describedby={`${id}-multi`}>
                {people.map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.name} ({u.position})
                  </option>
                ))}
              </select>
            </label>
            <p className="hint" id={`${id}-multi`}>
              {t("booking.resources.multiHint")}
            </p>
          </fieldset>
          {users.isError && <ErrorNote error={users.error} onRetry={() => void users.refetch()} />}
          {add.isError && <ErrorNote error={add.error} />}
          <button type="submit" disabled={add.isPending}>
            {add.isPending ? t("booking.working") : t("booking.resources.add")}
          </button>
        </form>
      ) : (
        <p className="hint">{t("booking.resources.adminAdds")}</p>
      )}
      {kinds.map((kind) => {
        const items = ofKind(resources.data, kind);
        if (items.length === 0) return null;
        return (
          <div className="scroll" key={kind}>
            <table className="register">
              <caption>{t(`booking.resources.group.${kind}`)}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("booking.resources.name")}</th>
                  <th scope="col">{t("booking.resources.details")}</th>
                  <th scope="col">{t("booking.resources.approval")}</th>
                  <th scope="col">{t("booking.resources.officers")}</th>
                  <th scope="col">{t("booking.resources.status")}</th>
                  <th scope="col">{t("booking.resources.sharing")}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((r) => {
                  const mayChange = mine(r) && me.data !== undefined && (admin || r.officers.includes(me.data.user_id));
                  const opened = open === r.id && mayChange;
                  const panel = `${id}-settings-${r.id}`;
                  return (
                    <Fragment key={r.id}>
                      <tr>
                        <th scope="row">{r.name}</th>
                        <td>
                          {[
                            r.plate,
                            r.vehicle_type,
                            r.building && t("booking.resources.buildingLine", { building: r.building, floor: r.floor }),
                            r.capacity ? t(r.kind === "room" ? "booking.seats" : "booking.passengers", { count: r.capacity }) : "",
                            r.equipment.join(", "),
                            r.kind === "room" ? t("booking.form.hours", { opens: fmt.digits(r.rules.opens), closes: fmt.digits(r.rules.closes) }) : "",
                          ]
                            .filter(Boolean)
                            .join(" · ")}
                        </td>
                        <td>
                          {!r.rules.approval
                            ? t("booking.resources.noApproval")
                            : mine(r)
                              ? t("booking.resources.approvedBy", { names: r.approvers.map(nameOf).join(", ") || t("booking.resources.adminOnly") })
                              : t("booking.resources.approvedByOwner")}
                        </td>
                        <td>{mine(r) ? r.officers.map(nameOf).join(", ") || "—" : t("booking.resources.ownerOfficers")}</td>
                        <td>
                          {r.status === "available" ? t("booking.resources.available") : t("booking.maintenance")}
                          {mayChange && (
                            <div>
                              <button type="button" className="inline" disabled={status.isPending} onClick={() => status.mutate(r)}>
                                {r.status === "available" ? t("booking.resources.toMaintenance") : t("booking.resources.toAvailable")}
                              </button>
                            </div>
                          )}
                        </td>
                        <td className="sharing">
                          {mine(r) ? sharingLine(t, r, agencies.data) : t("booking.resources.share.from", { agency: agencyName(r.owner, agencies.data) })}
                          {mayChange && (
                            <div>
                              <button
                                type="button"
                                className="inline"
                                aria-expanded={opened}
                                aria-controls={panel}
                                aria-label={t("booking.resources.settingsOf", { name: r.name })}
                                onClick={() => setOpen(opened ? null : r.id)}
                              >
                                {t("booking.resources.settings")}
                              </button>
                            </div>
                          )}
                        </td>
                      </tr>
                      {opened && (
                        <tr className="settings-row" id={panel}>
                          <td colSpan={6}>
                            <ResourceSettings
                              resource={r}
                              mayShare={admin}
                              agencies={agencies.data}
                              agenciesError={agencies.error}
                              onRetryAgencies={() => void agencies.refetch()}
                              feed={feeds[r.id]}
                              onFeed={(feed) =>
                                setFeeds((known) => {
                                  const rest = Object.fromEntries(Object.entries(known).filter(([key]) => key !== r.id));
                                  return feed ? { ...rest, [r.id]: feed } : rest;
                                })
                              }
                            />
                          </td>
                        </tr>
                      )}
                    </Fragment>
                  );
                })}
              </tbody>
            </table>
          </div>
        );
      })}
    </section>
  );
}
