"""`eoffice`: run the local stack and work with it.

eoffice dev [--port 8000]                     run the local stack with demo data (Ctrl-C stops it)
eoffice users [--json] [--port 8000]          the stack's agencies and users, roles and clearance
eoffice token --agency A --user U [--port]    a bearer token for a user from the local identity provider
eoffice stuck [--redrive] [--port 8000]       routes the platform could not move on, and why; --redrive
                                              runs their next step again (safe: each step checks first)
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="eoffice", description="e-Office platform: local stack tools")
    commands = parser.add_subparsers(dest="command", required=True)
    dev = commands.add_parser("dev", help="run the local stack with demo data")
    dev.add_argument("--port", type=int, default=8000, help="API port on 127.0.0.1 (default 8000)")
    dev.add_argument("--quiet", action="store_true", help="print only 'ready <url>' when ready")
    users = commands.add_parser("users", help="list the local stack's agencies and users")
    users.add_argument("--json", action="store_true", help="machine-readable output")
    users.add_argument("--port", type=int, default=8000)
    token = commands.add_parser("token", help="print a bearer token for a demo user")
    token.add_argument("--agency", required=True, help="agency id, e.g. mdes-ops")
    token.add_argument("--user", required=True, help="username, e.g. ops.saraban (or just saraban)")
    token.add_argument("--port", type=int, default=8000)
    stuck = commands.add_parser("stuck", help="list routes the platform could not move on (and redrive them)")
    stuck.add_argument("--redrive", action="store_true", help="run each stuck route's next step again")
    stuck.add_argument("--port", type=int, default=8000)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "dev":
        from devstack.stack import run

        run(args.port, announce=not args.quiet)
        return 0
    if args.command == "users":
        return _users(args.port, as_json=args.json)
    if args.command == "stuck":
        return _stuck(args.port, redrive=args.redrive)
    return _token(args.port, args.agency, args.user)


def _users(port: int, *, as_json: bool) -> int:
    from devstack.demo import AGENCIES
    from devstack.stack import read_state

    state = read_state(port)
    listing: list[dict[str, Any]] = []
    for agency in AGENCIES:
        listing.append(
            {
                "id": agency.id,
                "name": agency.name,
                "ministry_code": agency.ministry_code,
                "units": [
                    {"id": u.id, "name": u.name, "code": u.code, "parent": u.parent} for u in agency.units
                ],
                "users": [
                    {"username": name, **{k: v for k, v in info.items() if k != "agency"}}
                    for name, info in state.users.items()
                    if info["agency"] == agency.id
                ],
            }
        )
    if as_json:
        json.dump({"agencies": listing}, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    for agency_view in listing:
        print(f"{agency_view['id']}  {agency_view['name']}")
        for user in agency_view["users"]:
            print(
                f"  {user['username']:<15} {','.join(user['roles']):<14} "
                f"{user['clearance']:<13} {user['name']}"
            )
    return 0


def _token(port: int, agency: str, user: str) -> int:
    import boto3

    from devstack.demo import DEMO_PASSWORD
    from devstack.stack import aws_environment, read_state

    state = read_state(port)
    candidates = [user, *(name for name in state.users if name.endswith(f".{user}"))]
    username = next((n for n in candidates if n in state.users and state.users[n]["agency"] == agency), None)
    if username is None:
        print(f"no user {user!r} in agency {agency!r}; see `eoffice users`", file=sys.stderr)
        return 2
    env = aws_environment(state.backend_url)
    client = boto3.client(
        "cognito-idp",
        region_name=state.region,
        endpoint_url=state.backend_url,
        aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
    )
    answer = client.admin_initiate_auth(
        UserPoolId=state.user_pool_id,
        ClientId=state.client_id,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": DEMO_PASSWORD},
    )
    print(answer["AuthenticationResult"]["IdToken"])
    return 0


def _stuck(port: int, *, redrive: bool) -> int:
    """The operator's view of stuck routes, run against the local stack's backend with the functions'
    own code (in AWS the same functions run with the platform's credentials)."""
    import os

    from devstack.resources import STAGE
    from devstack.stack import FUNCTIONS, aws_environment, read_state
    from infra.resources import environment

    state = read_state(port)
    os.environ.update({**aws_environment(state.backend_url), **environment(STAGE)})
    sys.path.insert(0, str(FUNCTIONS))
    from chalicelib.kernel import clock, ddb
    from chalicelib.routing import service

    ddb.bind()
    found = service.stuck()
    for agency, document, reason in found:
        print(f"{agency}  {document}  {reason}")
        if redrive:
            try:
                outcome = service.settle(agency, document, now=clock.utcnow())
            except Exception as error:  # report and go on with the others
                outcome = f"still stuck: {error}"
            print(f"    redriven: {outcome}")
    print(f"{len(found)} stuck route(s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
