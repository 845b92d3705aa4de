"""What the archive's yearly lists (แบบที่ 25 for destruction, แบบที่ 21 for transfer) share: each list
item moves through its states under a version, so two changes at once cannot both hold, and its lines
print dates as the registers do."""

from __future__ import annotations

from datetime import date
from typing import Any

from chalicelib.kernel import ddb
from chalicelib.kernel.errors import Conflict
from chalicelib.thai import thai_date_short


def require_state(item: Any, states_th: dict[str, str], *states: str) -> None:
    if item.state not in states:
        raise Conflict(
            f"บัญชีอยู่ในขั้น {states_th[item.state]}", f"the list is {item.state}, not {' or '.join(states)}"
        )


def update(tx: ddb.Transaction, item: Any, actions: list[Any], *, state: str) -> None:
    """The list's change in `tx`, labelled "list": refused if the list moved on since it was read."""
    model = type(item)
    tx.update(
        "list",
        item,
        [*actions, model.state.set(state), model.version.add(1)],
        condition=(model.version == item.version) & (model.state == item.state),
    )


def commit(tx: ddb.Transaction, *, what_th: str, what_en: str) -> None:
    if not tx.commit_unless_refused("list"):
        raise Conflict(f"{what_th}เปลี่ยนไประหว่างนี้ โปรดลองอีกครั้ง", f"the {what_en} changed meanwhile: try again")


def short_date(value: str) -> str:
    """A line's ลงวันที่ as the register forms print it (30 พ.ย. 2569); as written when it is no date."""
    try:
        return thai_date_short(date.fromisoformat(value))
    except ValueError:
        return value
