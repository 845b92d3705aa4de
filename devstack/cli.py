"""`eoffice`: run the local stack and work with it.

eoffice dev [--port 8000]                     run the local stack with demo data (Ctrl-C stops it)
eoffice users [--json] [--port 8000]          the stack's agencies and users, roles and clearance
eoffice token --agency A --user U [--port]    a bearer token for a user from the local identity provider
eoffice stuck [--redrive] [--port 8000]       routes the platform could not move on, and why; --redrive
                                              runs their next step again (safe: each step checks first)
eoffice onboard FILE [--port 8000 | --aws ...]  onboard an agency from its settings file (checked first)
eoffice offboard AGENCY [--port 8000 | --aws ...]  disable its people; its records and keys stay
eoffice keys csr|import-cert|expiring ...     signer certificates for KMS keys (onboarding/keys.py)
eoffice mail drop --agency A FILE.eml [--port]  a raw e-mail arriving at the agency's central address
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
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
    onboard = commands.add_parser("onboard", help="onboard an agency from its settings file")
    onboard.add_argument(
        "settings",
        nargs="+",
        help="settings files (YAML), e.g. examples/agency.yaml; several: a resumable batch",
    )
    onboard.add_argument("--concurrency", type=int, default=4, help="several files: agencies at a time")
    _target_arguments(onboard)
    audit = commands.add_parser("audit", help="the verifiable audit trail: export a chain, verify an export")
    audit_commands = audit.add_subparsers(dest="audit_command", required=True)
    export = audit_commands.add_parser("export", help="an agency's sealed days, with their events, as JSON")
    export.add_argument("--agency", required=True)
    export.add_argument("--since", required=True, help="first day, YYYY-MM-DD")
    export.add_argument("--until", required=True, help="last day, YYYY-MM-DD")
    export.add_argument("--out", required=True, help="the file to write")
    export.add_argument("--port", type=int, default=8000)
    check = audit_commands.add_parser("verify", help="check an export offline; name the first broken link")
    check.add_argument("file")
    offboard = commands.add_parser("offboard", help="disable an agency's people; its records stay")
    offboard.add_argument("agency")
    _target_arguments(offboard)
    keys = commands.add_parser("keys", help="signer certificates for KMS keys")
    key_commands = keys.add_subparsers(dest="keys_command", required=True)
    csr = key_commands.add_parser("csr", help="print a CSR for a signer's key, signed through KMS")
    imported = key_commands.add_parser(
        "import-cert", help="check a certificate against the key and record it"
    )
    soon = key_commands.add_parser(
        "expiring", help="signers whose certificate ends within the warning period"
    )
    for sub in (csr, imported, soon):
        sub.add_argument("--agency", required=True)
        _target_arguments(sub)
    for sub in (csr, imported):
        sub.add_argument("--user", required=True, help="the signer's username")
    imported.add_argument("--cert", required=True, help="the certificate the CA issued (PEM)")
    imported.add_argument("--chain", nargs="*", default=[], help="its issuers, nearest first (PEM files)")
    soon.add_argument("--days", type=int, default=None, help="default: the agency's expiry_warning_days")
    mail = commands.add_parser("mail", help="the agencies' central e-mail on the local stack")
    mail_commands = mail.add_subparsers(dest="mail_command", required=True)
    drop = mail_commands.add_parser("drop", help="a raw .eml arrives at an agency's central address")
    drop.add_argument("--agency", required=True)
    drop.add_argument("eml", help="the raw message (.eml)")
    drop.add_argument("--port", type=int, default=8000)
    return parser


def _target_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--port", type=int, default=8000, help="the running local stack (default)")
    parser.add_argument("--aws", action="store_true", help="onboard on AWS (the current credentials)")
    parser.add_argument("--stage", default="prod", help="with --aws: the platform's stage")
    parser.add_argument("--user-pool-id", help="with --aws: the platform stack's UserPoolId output")
    parser.add_argument("--sign-worker-role-arn", help="with --aws: the sign worker function's role")
    parser.add_argument("--key-ceremony-role-arn", help="with --aws: who requests signer certificates")


def _dev(args: argparse.Namespace) -> int:
    from devstack.stack import run

    run(args.port, announce=not args.quiet)
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    commands: dict[str, Any] = {
        "dev": _dev,
        "users": lambda: _users(args.port, as_json=args.json),
        "stuck": lambda: _stuck(args.port, redrive=args.redrive),
        "onboard": _onboarding,
        "offboard": _onboarding,
        "keys": _keys,
        "mail": lambda: _drop_mail(args.port, args.agency, Path(args.eml)),
        "token": lambda: _token(args.port, args.agency, args.user),
        "audit": lambda: _audit(args),
    }
    run = commands[args.command]
    return int(run(args) if run in (_dev, _onboarding, _keys) else run())


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
    from devstack.demo import DEMO_PASSWORD
    from devstack.stack import operator_session, read_state

    state = read_state(port)
    client = operator_session(state).client("cognito-idp", endpoint_url=state.backend_url)
    candidates = [user, *(name for name in state.users if name.endswith(f".{user}"))]
    username = next((n for n in candidates if n in state.users and state.users[n]["agency"] == agency), None)
    if username is None:  # an agency onboarded since the stack started: the pool knows its people
        try:
            found = client.admin_get_user(UserPoolId=state.user_pool_id, Username=user)
        except client.exceptions.UserNotFoundException:
            found = {"UserAttributes": []}
        attributes = {a["Name"]: a["Value"] for a in found["UserAttributes"]}
        username = user if attributes.get("custom:agency_id") == agency else None
    if username is None:
        print(f"no user {user!r} in agency {agency!r}; see `eoffice users`", file=sys.stderr)
        return 2
    try:
        answer = client.admin_initiate_auth(
            UserPoolId=state.user_pool_id,
            ClientId=state.client_id,
            AuthFlow="ADMIN_USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": username, "PASSWORD": DEMO_PASSWORD},
        )
    except client.exceptions.NotAuthorizedException as error:  # disabled (offboarded), or not a demo password
        print(
            f"{username}: no token ({error.response['Error'].get('Message', 'not authorized')})",
            file=sys.stderr,
        )
        return 2
    print(answer["AuthenticationResult"]["IdToken"])
    return 0


def _audit(args: argparse.Namespace) -> int:
    """`audit export` reads the running local stack as its operator (in AWS: the platform's
    credentials); `audit verify` needs nothing but the file: an auditor runs it offline."""
    import json
    import os

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "functions"))
    if args.audit_command == "verify":
        from chalicelib.archive.trail import verify

        verdict = verify(json.loads(Path(args.file).read_text(encoding="utf-8")))
        print(
            f"{verdict.days} day(s), {verdict.events} event(s) checked, {verdict.timestamped} day(s) "
            "timestamped by the agency's TSA"
        )
        print("the chain is intact" if verdict.ok else f"BROKEN at {verdict.broken}")
        return 0 if verdict.ok else 1
    from datetime import date

    from devstack.resources import STAGE
    from devstack.stack import aws_environment, read_state
    from infra.resources import environment

    state = read_state(args.port)
    os.environ.update({**aws_environment(state.backend_url), **environment(STAGE)})
    from chalicelib.archive.trail import export
    from chalicelib.kernel import ddb

    ddb.bind()
    exported = export(args.agency, date.fromisoformat(args.since), date.fromisoformat(args.until))
    Path(args.out).write_text(json.dumps(exported, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"{len(exported['days'])} sealed day(s) of {args.agency} written to {args.out}")
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


def _target(args: argparse.Namespace) -> Any:
    """Where to onboard: the running local stack (as its operator), or AWS with --aws."""
    import os

    from onboarding.apply import Target

    if args.aws:
        import boto3

        missing = [
            n
            for n in ("user_pool_id", "sign_worker_role_arn", "key_ceremony_role_arn")
            if not getattr(args, n)
        ]
        if missing:
            raise SystemExit("--aws needs " + ", ".join("--" + m.replace("_", "-") for m in missing))
        from infra.resources import environment

        os.environ.update(environment(args.stage))
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "functions"))
        return Target(
            boto3.Session(),
            args.stage,
            args.user_pool_id,
            args.sign_worker_role_arn,
            args.key_ceremony_role_arn,
        )
    from devstack.demo import DEMO_PASSWORD
    from devstack.iam import ACCOUNT, role_name
    from devstack.stack import FUNCTIONS, aws_environment, operator_session, read_state

    state = read_state(args.port)
    os.environ.update({**state.function_environment, **aws_environment(state.backend_url)})
    sys.path.insert(0, str(FUNCTIONS))
    return Target(
        operator_session(state),
        state.function_environment["EOFFICE_STAGE"],
        state.user_pool_id,
        f"arn:aws:iam::{ACCOUNT}:role/{role_name('sign_documents')}",
        f"arn:aws:iam::{ACCOUNT}:root",
        local=True,
        local_password=DEMO_PASSWORD,
    )


def _onboarding(args: argparse.Namespace) -> int:
    from onboarding.settings import SettingsError, load

    if args.command == "onboard":
        paths = [Path(p) for p in args.settings]
        path = paths[0]
        try:
            settings = load(path)  # before anything else: a broken file creates nothing
        except SettingsError as error:
            print(f"{error.path}: the settings are not valid; nothing was created", file=sys.stderr)
            for problem in error.problems:
                print(f"  {problem}", file=sys.stderr)
            return 2
    target = _target(args)
    from chalicelib.kernel import ddb

    from onboarding.apply import OnboardingError, offboard, onboard

    ddb.bind()
    if args.command == "offboard":
        disabled = offboard(args.agency, target)
        print(f"{args.agency}: {len(disabled)} people disabled; its records and keys are kept")
        return 0
    if len(paths) > 1:
        return _onboard_many(paths, target, args.concurrency)
    started = time.monotonic()
    try:
        done = onboard(settings, path.parent, target)
    except (OnboardingError, SettingsError) as error:
        print(str(error), file=sys.stderr)
        return 2
    print(f"{done.agency_id} onboarded in {time.monotonic() - started:.1f} s ({target.stage}: {done.stack})")
    for username, user_id in done.users.items():
        key = done.keys.get(username)
        print(f"  {username:<16} {user_id}" + (f"  signing key {key}" if key else ""))
    if done.created_directly:
        print("  made directly, not through the emulator's CloudFormation:", ", ".join(done.created_directly))
    return 0


def _onboard_many(paths: list[Path], target: Any, concurrency: int) -> int:
    from onboarding.bulk import onboard_many
    from onboarding.settings import SettingsError

    try:
        report = onboard_many(
            paths,
            target,
            concurrency=concurrency,
            on_each=lambda agency, outcome: print(f"{agency}: {outcome}"),
        )
    except SettingsError as error:
        print("the settings are not valid; nothing was created", file=sys.stderr)
        for problem in error.problems:
            print(f"  {problem}", file=sys.stderr)
        return 2
    print(
        f"{len(report.onboarded)} onboarded, {len(report.skipped)} already there, "
        f"{len(report.failed)} failed, in {report.seconds:.1f} s"
    )
    return 1 if report.failed else 0


def _drop_mail(port: int, agency: str, eml: Path) -> int:
    """What SES's receipt rule does in AWS: the raw message into the mail bucket, under the agency."""
    import uuid

    from devstack.stack import operator_session, read_state

    state = read_state(port)
    s3 = operator_session(state).client("s3", endpoint_url=state.backend_url)
    key = f"mail/{agency}/{uuid.uuid4().hex}"
    s3.put_object(Bucket=state.function_environment["EOFFICE_BUCKET_MAIL"], Key=key, Body=eml.read_bytes())
    print(key)
    return 0


def _keys(args: argparse.Namespace) -> int:
    target = _target(args)
    from chalicelib.directory import store
    from chalicelib.kernel import ddb

    from onboarding.keys import CertificateError, certificate_request, expiring, import_certificate

    ddb.bind()
    agency = store.agency_item(args.agency)
    if agency is None:
        print(f"no agency {args.agency!r}", file=sys.stderr)
        return 2
    kms = target.session.client("kms")
    if args.keys_command == "expiring":
        days = args.days or int(agency.settings.get("signing", {}).get("expiry_warning_days", 60))
        for username, ends in expiring(args.agency, within_days=days):
            print(f"{username:<20} ends {ends:%Y-%m-%d}")
        return 0
    user = next((u for u in store.users(args.agency) if u.username == args.user), None)
    if user is None or not (user.signing or {}).get("kms_key_id"):
        print(f"{args.user} in {args.agency} has no signing key", file=sys.stderr)
        return 2
    if args.keys_command == "csr":
        print(
            certificate_request(
                kms, user.signing["kms_key_id"], common_name=store.full_name(user), organization=agency.name
            ),
            end="",
        )
        return 0
    try:
        checked = import_certificate(
            kms,
            args.agency,
            args.user,
            Path(args.cert).read_text(encoding="utf-8"),
            [Path(c).read_text(encoding="utf-8") for c in args.chain],
        )
    except CertificateError as error:
        print(f"refused: {error}", file=sys.stderr)
        return 2
    print(f"{args.user}: {checked.subject}, valid until {checked.not_after:%Y-%m-%d}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
