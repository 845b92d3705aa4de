"""Routes: health, the OpenAPI document, and who the caller is."""

from __future__ import annotations

from chalice.app import Blueprint, Response

from chalicelib.api.http import authenticate, current_request, handled, json_response
from chalicelib.api.openapi import openapi_document
from chalicelib.store.directory import agency_profile

bp = Blueprint(__name__)


@bp.route("/health", methods=["GET"])
@handled(bp)
def health() -> Response:
    return json_response({"status": "ok"})


@bp.route("/openapi.json", methods=["GET"])
@handled(bp)
def openapi() -> Response:
    return json_response(openapi_document())


@bp.route("/me", methods=["GET"])
@handled(bp)
def me() -> Response:
    principal = authenticate(current_request(bp))
    profile = agency_profile(principal.agency_id)
    units = profile.units if profile else {}
    return json_response(
        {
            "user_id": principal.user_id,
            "username": principal.username,
            "name": principal.name,
            "position": principal.position,
            "agency": {
                "id": principal.agency_id,
                "name": profile.name if profile else "",
                "ministry_code": profile.ministry_code if profile else "",
            },
            "units": [
                {"id": u, "name": units[u].name, "code": units[u].code} if u in units else {"id": u}
                for u in principal.units
            ],
            "roles": sorted(role.value for role in principal.roles),
            "clearance": principal.clearance.api_name,
            "clearance_th": principal.clearance.label_th,
            "delegations": [
                {
                    "kind": d.kind,
                    "position": d.position,
                    "from_user": d.from_user,
                    "until": d.until.isoformat() if d.until else None,
                }
                for d in principal.delegations
            ],
            "books": sorted(profile.books) if profile else [],
        }
    )
