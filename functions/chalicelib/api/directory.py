"""Routes: the agency's users (to choose signers) and delegations of signing authority."""

from __future__ import annotations

from chalice.app import Blueprint, Response

from chalicelib.api.http import authenticate, current_request, handled, json_body, json_response, utcnow
from chalicelib.services import directory

bp = Blueprint(__name__)


@bp.route("/users", methods=["GET"])
@handled(bp)
def list_users() -> Response:
    principal = authenticate(current_request(bp))
    return json_response(directory.list_users(principal))


@bp.route("/users/{user_id}/delegations", methods=["PUT"])
@handled(bp)
def set_delegations(user_id: str) -> Response:
    request = current_request(bp)
    principal = authenticate(request)
    return json_response(directory.set_delegations(principal, user_id, json_body(request), now=utcnow()))
