"""Turning client JSON into domain models, with errors a person can act on (Thai and English)."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from chalicelib.errors import InvalidInput

M = TypeVar("M", bound=BaseModel)


def parse_model(model: type[M], data: Any) -> M:
    if not isinstance(data, dict):
        raise InvalidInput("ข้อมูลต้องเป็นออบเจกต์ JSON", "the body must be a JSON object")
    try:
        return model.model_validate(data)
    except ValidationError as error:
        problems = [
            {
                "field": ".".join(str(p) for p in e["loc"]) or "(body)",
                "message": e["msg"].removeprefix("Value error, "),
            }
            for e in error.errors(include_url=False, include_input=False)
        ]
        summary = "; ".join(f"{p['field']}: {p['message']}" for p in problems[:5])
        raise InvalidInput("ข้อมูลไม่ถูกต้อง: " + summary, "invalid input: " + summary, errors=problems) from None
