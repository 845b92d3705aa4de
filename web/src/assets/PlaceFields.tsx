import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { ErrorNote } from "../components/ErrorNote";
import { userUnitIds, useUnits, useUsers } from "./data";
import { unitChoices } from "./logic";

/** Where an asset is and who answers for it: the unit (chosen by its Thai name, with its code where the
 * name is shared, sent as its id), the place, and the custodian. */
export interface Place {
  unit_id: string;
  location: string;
  custodian: string;
}

/** The unit, place and custodian fields of registering an asset and of moving it; `labels` words them
 * for each (หน่วยงานที่ใช้ / ไปยังหน่วยงาน ...). A unit id the directory does not know (an imported
 * register's) stays offered as it is, so that a transfer keeps it unless another unit is chosen. */
export function PlaceFields({
  value,
  onChange,
  labels,
}: {
  value: Place;
  onChange: (key: keyof Place, value: string) => void;
  labels: Record<keyof Place, string>;
}) {
  const { t } = useTranslation();
  const users = useUsers();
  return (
    <>
      {users.isError && <ErrorNote error={users.error} onRetry={() => void users.refetch()} />}
      <div className="pair">
        <UnitSelect label={labels.unit_id} value={value.unit_id} onChange={(unit) => onChange("unit_id", unit)} none={t("assets.noUnit")} />
        <label>
          {labels.location}
          <input maxLength={200} value={value.location} onChange={(e) => onChange("location", e.target.value)} />
        </label>
      </div>
      <label>
        {labels.custodian}
        <select value={value.custodian} onChange={(e) => onChange("custodian", e.target.value)}>
          <option value="">{t("assets.noCustodian")}</option>
          {(users.data ?? []).map((u) => (
            <option key={u.id} value={u.id}>
              {u.name} ({u.position})
            </option>
          ))}
        </select>
      </label>
    </>
  );
}

/** A unit chosen by its Thai name (Thai dictionary order; a name several units share followed by each
 * one's code, see unitChoices), its id the value; `none` words the empty choice, and `also` adds the ids
 * in use that the directory does not know (shown as they are). */
export function UnitSelect({
  label,
  value,
  onChange,
  none,
  also = [],
}: {
  label: string;
  value: string;
  onChange: (unitId: string) => void;
  none: string;
  also?: readonly string[];
}) {
  const users = useUsers();
  const units = useUnits();
  const choices = useMemo(
    () => unitChoices(units.data ?? [], [value, ...also, ...userUnitIds(users.data)]),
    [units.data, users.data, value, also],
  );
  return (
    <label>
      {label}
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{none}</option>
        {choices.map((u) => (
          <option key={u.id} value={u.id}>
            {u.name}
          </option>
        ))}
      </select>
    </label>
  );
}
