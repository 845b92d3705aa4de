"""IAM enforced on the embedded backend, as AWS decides it for the calls this platform makes.

moto can enforce IAM, but not as AWS does for this platform: it checks DynamoDB calls against the
resource "*" (so a policy naming the table denies everything), checks TransactWriteItems as one action
(AWS checks each item's PutItem / UpdateItem / DeleteItem / ConditionCheckItem), evaluates no
``aws:ResourceTag`` condition, and fails on presigned S3 URLs. This middleware sits in front of moto
and decides each request the way AWS does, with moto's own policy matcher (``IAMPolicy``) for the
actions and resources:

- who calls: the access key of the request (the ``Authorization`` header, or ``X-Amz-Credential`` in
  a presigned URL). The key ``local`` is the stack's operator (it creates resources and plays the
  Lambda service that polls queues and streams): allowed everything. Any other key must be the
  credentials of an assumed role (the functions run with their role's); its policies are read from
  the IAM backend at each request, so a permission removed with ``iam put-role-policy`` is gone at
  once (tests do this). Signatures are not checked again: botocore makes them, and the point here is
  authorisation.
- what it does: the IAM actions the call implies, each on its resource ARN (``accesses``).
- an explicit Deny wins; otherwise some Allow must match every action, or the call is refused with
  the service's AccessDenied error.

Unsigned requests are refused except Cognito's public JWKS document, moto's own /moto-api and a
browser's CORS preflight (answered from the bucket's CORS configuration, as S3 does).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any
from urllib.parse import parse_qs, unquote

log = logging.getLogger("devstack.iam")
ACCOUNT = "123456789012"  # moto's default account
OPERATOR_KEY = "local"


@dataclass(frozen=True)
class Access:
    action: str
    resource: str
    context: dict[str, str] = field(default_factory=dict)  # condition keys (aws:ResourceTag/...)


class Denied(Exception):
    def __init__(self, service: str, message: str) -> None:
        super().__init__(message)
        self.service = service
        self.message = message


PUBLIC_COGNITO_TARGETS = frozenset(
    f"AWSCognitoIdentityProviderService.{name}" for name in ("InitiateAuth", "RespondToAuthChallenge")
)


def _credential(headers: dict[str, str], query: dict[str, list[str]]) -> tuple[str, str, str] | None:
    """(access key, region, service) of a signed request."""
    scope = None
    authorization = headers.get("authorization", "")
    if "Credential=" in authorization:
        scope = authorization.split("Credential=", 1)[1].split(",", 1)[0]
    elif "X-Amz-Credential" in query:
        scope = query["X-Amz-Credential"][0]
    if scope is None:
        return None
    parts = scope.split("/")
    return (parts[0], parts[2], parts[3]) if len(parts) >= 4 else None


def _browser_post(environ: dict[str, Any], body: bytes, path: str) -> tuple[tuple[str, str, str] | None, str]:
    """A presigned POST (an upload from a browser) carries its credential and key in the form."""
    from werkzeug.formparser import parse_form_data

    copy = {**environ, "wsgi.input": BytesIO(body)}
    _, form, _ = parse_form_data(copy)
    fields = {k.lower(): v for k, v in form.items()}
    scope = fields.get("x-amz-credential", "").split("/")
    if len(scope) < 4:
        return None, path
    return (scope[0], scope[2], scope[3]), f"{path.rstrip('/')}/{fields.get('key', '')}"


# -- what a call asks for ---------------------------------------------------------------------------
def _table_arn(region: str, table: str) -> str:
    return f"arn:aws:dynamodb:{region}:{ACCOUNT}:table/{table}"


_DYNAMODB_ITEM_ACTIONS = {"Put": "PutItem", "Update": "UpdateItem", "Delete": "DeleteItem"}


def dynamodb_accesses(region: str, operation: str, body: dict[str, Any]) -> list[Access]:
    """A DynamoDB call as AWS authorises it: a transaction or batch item by item, a Query or Scan on
    an index against the index's ARN."""
    if operation == "TransactWriteItems":
        found = []
        for entry in body.get("TransactItems", []):
            kind, op = next(iter(entry.items()))
            action = _DYNAMODB_ITEM_ACTIONS.get(kind, "ConditionCheckItem")
            found.append(Access(f"dynamodb:{action}", _table_arn(region, op["TableName"]), _leading_key(op)))
        return found
    if operation == "TransactGetItems":
        return [
            Access("dynamodb:GetItem", _table_arn(region, entry["Get"]["TableName"]))
            for entry in body.get("TransactItems", [])
        ]
    if operation in ("BatchGetItem", "BatchWriteItem"):
        return [Access(f"dynamodb:{operation}", _table_arn(region, t)) for t in body.get("RequestItems", {})]
    table = body.get("TableName", "*")
    resource = _table_arn(region, table) if table != "*" else "*"
    if body.get("IndexName"):
        resource = f"{resource}/index/{body['IndexName']}"
    return [Access(f"dynamodb:{operation}", resource, _leading_key(body))]


def _leading_key(operation: dict[str, Any]) -> dict[str, str]:
    """dynamodb:LeadingKeys of an item operation: its partition key (the platform's table keys on pk)."""
    key = operation.get("Key") or operation.get("Item") or {}
    value = key.get("pk", {}).get("S")
    return {"dynamodb:LeadingKeys": value} if value else {}


def streams_accesses(region: str, operation: str, body: dict[str, Any]) -> list[Access]:
    arn = body.get("StreamArn") or body.get("ShardIterator", "").split("|", 1)[0]
    if operation == "ListStreams":
        arn = "*"
    return [Access(f"dynamodb:{operation}", arn or "*")]


def sqs_accesses(region: str, operation: str, body: dict[str, Any]) -> list[Access]:
    name = body.get("QueueName") or str(body.get("QueueUrl", "")).rstrip("/").rsplit("/", 1)[-1]
    return [Access(f"sqs:{operation}", f"arn:aws:sqs:{region}:{ACCOUNT}:{name}" if name else "*")]


def kms_accesses(region: str, operation: str, body: dict[str, Any]) -> list[Access]:
    key = body.get("KeyId")
    if not key:
        return [Access(f"kms:{operation}", "*")]
    from moto.kms.models import kms_backends

    backend = kms_backends[ACCOUNT][region]
    try:
        key_id = backend.get_key_id(backend.any_id_to_key_id(key) if key.startswith("alias/") else key)
        tags = {t["TagKey"]: t["TagValue"] for t in backend.list_resource_tags(key_id).get("Tags", [])}
    except Exception:  # an unknown key: let moto answer NotFound (the action is still checked)
        key_id, tags = key, {}
    return [
        Access(
            f"kms:{operation}",
            f"arn:aws:kms:{region}:{ACCOUNT}:key/{key_id}",
            {f"aws:ResourceTag/{k}": v for k, v in tags.items()},
        )
    ]


def _s3_bucket_action(method: str, query: dict[str, list[str]]) -> str:
    if method == "GET" and "versions" in query:
        return "s3:ListBucketVersions"
    if method in ("GET", "HEAD"):
        return "s3:ListBucket"
    return "s3:DeleteObject" if method == "POST" and "delete" in query else f"s3:{method.title()}Bucket"


def _s3_object_action(method: str, query: dict[str, list[str]]) -> str:
    version = "Version" if "versionId" in query else ""
    tagging = "Tagging" if "tagging" in query else ""
    lock = "Retention" if "retention" in query else "LegalHold" if "legal-hold" in query else ""
    if lock:  # the write-once archive: setting (or reading) an object's lock is its own permission
        return f"s3:{'Get' if method in ('GET', 'HEAD') else 'Put'}Object{lock}"
    if method in ("GET", "HEAD"):
        return f"s3:GetObject{version}{tagging}"
    if method == "DELETE":
        return f"s3:DeleteObject{version}"
    return f"s3:PutObject{tagging}" if method in ("PUT", "POST") else f"s3:{method.title()}Object"


def s3_accesses(method: str, path: str, query: dict[str, list[str]], headers: dict[str, str]) -> list[Access]:
    """Path-style S3 as AWS authorises it (the platform's clients use path style); a copy also reads
    its source."""
    bucket, _, key = unquote(path).lstrip("/").partition("/")
    if not key:
        action = _s3_bucket_action(method, query)
        return [Access(action, f"arn:aws:s3:::{bucket}" + ("/*" if action == "s3:DeleteObject" else ""))]
    found = [Access(_s3_object_action(method, query), f"arn:aws:s3:::{bucket}/{key}")]
    # Writing an object with its lock also needs the lock's permission (as S3 authorises it).
    if method == "PUT" and headers.get("x-amz-object-lock-mode"):
        found.append(Access("s3:PutObjectRetention", f"arn:aws:s3:::{bucket}/{key}"))
    if method == "PUT" and headers.get("x-amz-object-lock-legal-hold"):
        found.append(Access("s3:PutObjectLegalHold", f"arn:aws:s3:::{bucket}/{key}"))
    source = headers.get("x-amz-copy-source")
    if source and method == "PUT":
        source_path, _, source_version = unquote(source).partition("?versionId=")
        action = "s3:GetObjectVersion" if source_version else "s3:GetObject"
        found.append(Access(action, f"arn:aws:s3:::{source_path.lstrip('/')}"))
    return found


def sesv2_accesses(region: str, method: str, path: str, body: bytes) -> list[Access]:
    """SES v2 (REST): sending is authorised on the identity of the From address's domain."""
    from email.utils import parseaddr

    if method == "POST" and path.rstrip("/") == "/v2/email/outbound-emails":
        sender = parseaddr(str(json.loads(body or b"{}").get("FromEmailAddress", "")))[1]
        identity = sender.rpartition("@")[2] or sender
        return [Access("ses:SendEmail", f"arn:aws:ses:{region}:{ACCOUNT}:identity/{identity}")]
    operation = path.removeprefix("/v2/email/").split("/", 1)[0]
    return [Access(f"ses:{method.title()}{operation.title().replace('-', '')}", "*")]


def secretsmanager_accesses(region: str, operation: str, body: dict[str, Any]) -> list[Access]:
    secret = str(body.get("SecretId", ""))
    arn = (
        secret if secret.startswith("arn:") else f"arn:aws:secretsmanager:{region}:{ACCOUNT}:secret:{secret}"
    )
    return [Access(f"secretsmanager:{operation}", arn if secret else "*")]


EXECUTE_API_PATH = "/_devstack/execute-api/"  # the local WebSocket API's management API (backend.py)


def execute_api_accesses(region: str, method: str, path: str) -> list[Access]:
    """The WebSocket API's management API: ManageConnections on the connection's ARN,
    arn:aws:execute-api:<region>:<account>:<api>/<stage>/<METHOD>/@connections/<id>."""
    api, _, rest = path.removeprefix(EXECUTE_API_PATH).partition("/")
    stage, _, connection = rest.partition("/@connections/")
    api_arn = f"arn:aws:execute-api:{region}:{ACCOUNT}:{api}"
    return [
        Access(
            "execute-api:ManageConnections", f"{api_arn}/{stage}/{method}/@connections/{unquote(connection)}"
        )
    ]


_TARGETS: dict[str, Callable[[str, str, dict[str, Any]], list[Access]]] = {
    "DynamoDB_20120810": dynamodb_accesses,
    "DynamoDBStreams_20120810": streams_accesses,
    "AmazonSQS": sqs_accesses,
    "TrentService": kms_accesses,
    "secretsmanager": secretsmanager_accesses,
}


def accesses(
    service: str,
    region: str,
    method: str,
    path: str,
    query: dict[str, list[str]],
    headers: dict[str, str],
    body: bytes,
) -> list[Access]:
    target = headers.get("x-amz-target")
    if target:
        prefix, _, operation = target.partition(".")
        payload = json.loads(body or b"{}")
        if prefix in _TARGETS:
            return _TARGETS[prefix](region, operation, payload)
        return [Access(f"{service}:{operation}", "*")]
    if service == "s3":
        return s3_accesses(method, path, query, headers)
    if service == "execute-api":
        return execute_api_accesses(region, method, path)
    if service == "ses" and path.startswith("/v2/email/"):
        return sesv2_accesses(region, method, path, body)
    form = parse_qs(body.decode("utf-8", "replace")) if body else {}
    action = (form.get("Action") or query.get("Action") or ["Unknown"])[0]
    return [Access(f"{service}:{action}", "*")]


# -- the decision ----------------------------------------------------------------------------------
def _role_policies(access_key: str) -> tuple[str, list[dict[str, Any]]] | None:
    """The role and its policies behind an assumed role's access key, from the IAM backend now."""
    from moto.iam.models import iam_backends
    from moto.sts.models import sts_backends

    for assumed in sts_backends[ACCOUNT]["aws"].assumed_roles:
        if assumed.access_key_id == access_key:
            role_name = assumed.role_arn.split("/")[-1]
            iam = iam_backends[ACCOUNT]["aws"]
            documents = [
                iam.get_role_policy(role_name, name)[1] for name in iam.list_role_policies(role_name)
            ]
            return role_name, [json.loads(d) if isinstance(d, str) else d for d in documents]
    return None


def _matches(pattern: str, value: str) -> bool:
    return re.fullmatch(re.escape(pattern).replace(r"\*", ".*").replace(r"\?", "."), value) is not None


def _condition_holds(condition: dict[str, Any], context: dict[str, str]) -> bool:
    """StringEquals / StringLike, also with ForAnyValue / ForAllValues over the one value a call has
    (the operators the platform's policies use); any other is not met."""
    for qualified, tests in condition.items():
        operator = qualified.split(":", 1)[-1]
        for key, expected in tests.items():
            wanted = expected if isinstance(expected, list) else [expected]
            actual = context.get(key)
            if actual is None:
                return False
            if operator == "StringEquals" and actual not in wanted:
                return False
            if operator == "StringLike" and not any(_matches(w, actual) for w in wanted):
                return False
            if operator not in ("StringEquals", "StringLike"):
                return False
    return True


def _statements(policy: dict[str, Any]) -> list[dict[str, Any]]:
    found = policy.get("Statement", [])
    return found if isinstance(found, list) else [found]


def _listed(value: Any) -> list[str]:
    return value if isinstance(value, list) else [value]


def decide(policies: list[dict[str, Any]], access: Access) -> bool:
    """AWS's order: an explicit Deny that applies wins; else an Allow that applies; else denied."""
    allowed = False
    for policy in policies:
        for statement in _statements(policy):
            if not any(_matches(a, access.action) for a in _listed(statement.get("Action", []))):
                continue
            if not any(_matches(r, access.resource) for r in _listed(statement.get("Resource", "*"))):
                continue
            if not _condition_holds(statement.get("Condition", {}), access.context):
                continue
            if statement.get("Effect") == "Deny":
                return False
            allowed = True
    return allowed


def _denial(service: str, message: str) -> tuple[str, list[tuple[str, str]], bytes]:
    if service == "s3":
        body = f"<Error><Code>AccessDenied</Code><Message>{message}</Message></Error>".encode()
        return "403 Forbidden", [("Content-Type", "application/xml")], body
    payload = {"__type": "com.amazon.coral.service#AccessDeniedException", "message": message}
    if service == "sqs":
        payload["__type"] = "com.amazonaws.sqs#AccessDenied"
    return "400 Bad Request", [("Content-Type", "application/x-amz-json-1.0")], json.dumps(payload).encode()


DECISIONS_PATH = "/_devstack/iam"  # GET: each role's allowed calls and refusals (tests read it)


def enforcing(app: Callable[..., Iterable[bytes]]) -> Callable[..., Iterable[bytes]]:
    """The WSGI app, refusing what the caller's role may not do."""
    decisions: dict[str, dict[str, Any]] = {}

    def record(role: str, refusal: str | None) -> None:
        seen = decisions.setdefault(role, {"allowed": 0, "refused": []})
        if refusal is None:
            seen["allowed"] += 1
        else:
            seen["refused"].append(refusal)
            log.warning("IAM refused: %s", refusal)

    def serve(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == DECISIONS_PATH:
            start_response("200 OK", [("Content-Type", "application/json")])
            return [json.dumps(decisions).encode()]
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = BytesIO(body)
        headers = {k[5:].replace("_", "-").lower(): v for k, v in environ.items() if k.startswith("HTTP_")}
        if "CONTENT_TYPE" in environ:
            headers["content-type"] = environ["CONTENT_TYPE"]
        path = environ.get("PATH_INFO", "/")
        query = parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
        credential = _credential(headers, query)
        if credential is None and headers.get("content-type", "").startswith("multipart/form-data"):
            credential, path = _browser_post(environ, body, path)
        if credential is None:
            # The backend's own API, the JWKS, and Cognito's sign-in calls are public (in AWS a browser
            # signs in with no credentials). So is a browser's CORS preflight (OPTIONS) before a
            # presigned upload: S3 answers it without credentials, from the bucket's CORS configuration.
            method = environ.get("REQUEST_METHOD")
            preflight = method == "OPTIONS" and "access-control-request-method" in headers
            public = path.startswith("/moto-api") or path.endswith("/.well-known/jwks.json") or preflight
            if public or headers.get("x-amz-target", "") in PUBLIC_COGNITO_TARGETS:
                return app(environ, start_response)
            status, response_headers, denial = _denial("s3", "anonymous access is not allowed")
            start_response(status, response_headers)
            return [denial]
        access_key, region, service = credential
        if access_key == OPERATOR_KEY:
            return app(environ, start_response)
        role = _role_policies(access_key)
        wanted = accesses(service, region, environ["REQUEST_METHOD"], path, query, headers, body)
        who = role[0] if role else f"unknown key {access_key}"
        for access in wanted:
            if role is None or not decide(role[1], access):
                message = f"{who} is not authorized to perform {access.action} on {access.resource}"
                record(who, message)
                status, response_headers, denial = _denial(service, message)
                start_response(status, response_headers)
                return [denial]
        record(who, None)
        return app(environ, start_response)

    return serve


# -- the functions' roles ---------------------------------------------------------------------------
LAMBDA_TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
    ],
}


def role_name(function: str) -> str:
    return f"eoffice-local-{function}"


def function_credentials(session: Any, policies: dict[str, dict[str, Any]]) -> dict[str, dict[str, str]]:
    """Each function's role, made from the policy infra/ deploys, and its credentials as Lambda passes
    them (the environment: key, secret and session token)."""
    iam = session.client("iam")
    sts = session.client("sts")
    found = {}
    for function, policy in policies.items():
        role = role_name(function)
        try:
            arn = iam.create_role(RoleName=role, AssumeRolePolicyDocument=json.dumps(LAMBDA_TRUST))["Role"][
                "Arn"
            ]
        except iam.exceptions.EntityAlreadyExistsException:
            arn = iam.get_role(RoleName=role)["Role"]["Arn"]
        iam.put_role_policy(RoleName=role, PolicyName="function", PolicyDocument=json.dumps(policy))
        credentials = sts.assume_role(RoleArn=arn, RoleSessionName=function, DurationSeconds=43200)[
            "Credentials"
        ]
        found[function] = {
            "AWS_ACCESS_KEY_ID": credentials["AccessKeyId"],
            "AWS_SECRET_ACCESS_KEY": credentials["SecretAccessKey"],
            "AWS_SESSION_TOKEN": credentials["SessionToken"],
        }
    return found
