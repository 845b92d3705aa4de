"""Render chalice_config/config.json and the per-function IAM policies from infra/resources.py.

`python -m infra.chalice_config` rewrites them; a test checks the committed files are current.
Least privilege: each function gets the actions it uses on the resources it touches, nothing more.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from infra.package import FUNCTION_LAYERS, LAYERS, PYTHON_VERSION
from infra.resources import PLATFORM, environment, imported_environment, resource_name, stream_export

STAGES = ("local", "prod")
CONFIG_DIR = Path(__file__).resolve().parent.parent / "chalice_config"
FUNCTIONS = {
    "api_handler": {"lambda_memory_size": 1024, "lambda_timeout": 29},
    "check_uploads": {"lambda_memory_size": 1769, "lambda_timeout": 90},
    "on_records_change": {"lambda_memory_size": 1769, "lambda_timeout": 120},
    "sign_documents": {"lambda_memory_size": 1769, "lambda_timeout": 240},
    "deliver_letters": {"lambda_memory_size": 1024, "lambda_timeout": 150},
    "take_in_mail": {"lambda_memory_size": 1024, "lambda_timeout": 150},
    "poll_ecms": {"lambda_memory_size": 1024, "lambda_timeout": 55},
    "clean_up": {"lambda_memory_size": 512, "lambda_timeout": 300},
    "flag_overdue": {"lambda_memory_size": 512, "lambda_timeout": 300},
    "send_notifications": {"lambda_memory_size": 512, "lambda_timeout": 240},
    "renew_timestamps": {"lambda_memory_size": 1024, "lambda_timeout": 900},
    "retire_signing_keys": {"lambda_memory_size": 512, "lambda_timeout": 300},
    # The WebSocket API's handlers (push/worker.py): a connect checks a token and writes two items.
    "websocket_connect": {"lambda_memory_size": 512, "lambda_timeout": 10},
    "websocket_message": {"lambda_memory_size": 256, "lambda_timeout": 5},
    "websocket_disconnect": {"lambda_memory_size": 256, "lambda_timeout": 10},
}
# The local stack's WebSocket API has this id (devstack/websocket_gateway.py); on AWS the API is the
# functions' stack's own (Chalice's WebsocketAPI resource), named by reference.
LOCAL_WEBSOCKET_API_ID = "localwsapi"


def _table_arns(stage: str) -> list[str]:
    table = f"arn:aws:dynamodb:*:*:table/{resource_name(stage, PLATFORM.tables[0].suffix)}"
    return [table, f"{table}/index/*"]


def _bucket_objects(stage: str) -> str:
    return f"arn:aws:s3:::{resource_name(stage, PLATFORM.buckets[0].suffix)}/*"


def _statement(sid: str, actions: list[str], resources: list[str]) -> dict[str, Any]:
    return {"Sid": sid, "Effect": "Allow", "Action": sorted(actions), "Resource": resources}


LOGS = _statement(
    "Logs", ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"], ["arn:aws:logs:*:*:*"]
)
TABLE_RW = [
    "dynamodb:GetItem",
    "dynamodb:Query",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:ConditionCheckItem",
    "dynamodb:DeleteItem",  # due markers of closed inbox items (routing); never audit items: see below
]


def _ecms_credentials(stage: str) -> dict[str, Any]:
    """The e-CMS node's credentials only (the EcmsSecretName parameter names one of these)."""
    return _statement(
        "EcmsCredentials",
        ["secretsmanager:GetSecretValue"],
        [f"arn:aws:secretsmanager:*:*:secret:{resource_name(stage, 'ecms')}-*"],
    )


def _secrecy_keys(sid: str, actions: list[str]) -> dict[str, Any]:
    """Agencies' secrecy keys only (tagged by the onboarding template), for sealed classified letters
    (kernel/envelope.py); each key's own policy adds that its agency must be a party to the letter."""
    return {
        "Sid": sid,
        "Effect": "Allow",
        "Action": sorted(actions),
        "Resource": ["arn:aws:kms:*:*:key/*"],
        "Condition": {"StringEquals": {"aws:ResourceTag/eoffice:purpose": "document-secrecy"}},
    }


def _audit_append_only(stage: str) -> dict[str, Any]:
    """No role may change or remove an audit item (pk <agency>#AUDIT#<day>, kernel/keys.py), nor a seal
    of the audit trail (pk <agency>#AUDITSEAL, archive/trail.py): an explicit Deny on the key prefixes,
    whatever else the role may do (docs/rules.md, "The audit log")."""
    return {
        "Sid": "AuditIsAppendOnly",
        "Effect": "Deny",
        "Action": ["dynamodb:DeleteItem", "dynamodb:UpdateItem"],
        "Resource": _table_arns(stage)[:1],
        "Condition": {"ForAnyValue:StringLike": {"dynamodb:LeadingKeys": ["*#AUDIT#*", "*#AUDITSEAL"]}},
    }


def _push_connections(stage: str) -> dict[str, Any]:
    """Posts to the connections of this stage's WebSocket API, nothing else of API Gateway: on AWS the
    API is the one the functions' stack creates (a reference CloudFormation resolves), locally the
    stack's fixed one."""
    path = "/POST/@connections/*"
    if stage == "local":
        resource: Any = f"arn:aws:execute-api:*:*:{LOCAL_WEBSOCKET_API_ID}/{stage}{path}"
    else:
        resource = {
            "Fn::Sub": "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${WebsocketAPI}/"
            + stage
            + path
        }
    return _statement("PushToBrowsers", ["execute-api:ManageConnections"], [resource])


def _connections(stage: str, actions: list[str]) -> dict[str, Any]:
    """The push module's connection items only (pk <agency>#CONN#<user> and WSCONN#<id>, kernel/keys.py)."""
    return {
        "Sid": "Connections",
        "Effect": "Allow",
        "Action": sorted(actions),
        "Resource": _table_arns(stage)[:1],
        "Condition": {"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["*#CONN#*", "WSCONN#*"]}},
    }


def policies(stage: str) -> dict[str, dict[str, Any]]:
    found = _policies(stage)
    for policy in found.values():
        policy["Statement"].append(_audit_append_only(stage))
    return found


def _policies(stage: str) -> dict[str, dict[str, Any]]:
    bucket = resource_name(stage, PLATFORM.buckets[0].suffix)
    return {
        "api_handler": {
            "Version": "2012-10-17",
            "Statement": [
                LOGS,
                _statement("Records", TABLE_RW, _table_arns(stage)),
                # Presigned uploads are signed with this role: it may put and read objects, never delete.
                # Reads name the checked version (the bucket is versioned): GetObjectVersion too.
                _statement(
                    "Files", ["s3:PutObject", "s3:GetObject", "s3:GetObjectVersion"], [_bucket_objects(stage)]
                ),
                # The write-once archive: records are copied in locked, holds placed and lifted; no
                # role may delete there (and S3 refuses while a lock holds).
                _statement(
                    "Archive",
                    [
                        "s3:PutObject",
                        "s3:PutObjectRetention",
                        "s3:PutObjectLegalHold",
                        "s3:GetObject",
                        "s3:GetObjectVersion",
                        # S3 shows an object's lock (HEAD) only to who may read the lock.
                        "s3:GetObjectRetention",
                        "s3:GetObjectLegalHold",
                    ],
                    [f"arn:aws:s3:::{resource_name(stage, 'archive')}/*"],
                ),
                # The audit trail's sealed days are the clean-up job's to write, never the API's.
                {
                    "Sid": "NotTheAuditTrail",
                    "Effect": "Deny",
                    "Action": ["s3:PutObject", "s3:PutObjectRetention", "s3:PutObjectLegalHold"],
                    "Resource": [f"arn:aws:s3:::{resource_name(stage, 'archive')}/*/audit/*"],
                },
                _statement(
                    "SignQueue",
                    ["sqs:SendMessage", "sqs:GetQueueUrl"],
                    [f"arn:aws:sqs:*:*:{resource_name(stage, 'sign')}"],
                ),
                _statement(
                    "ExchangeQueue",
                    ["sqs:SendMessage", "sqs:GetQueueUrl"],
                    [f"arn:aws:sqs:*:*:{resource_name(stage, 'exchange')}"],
                ),
                # Opens a sealed letter for a cleared reader, and for the endorsed copy.
                _secrecy_keys("OpenSealedLetters", ["kms:Decrypt"]),
            ],
        },
        "check_uploads": {
            "Version": "2012-10-17",
            "Statement": [
                LOGS,
                _statement("Records", TABLE_RW, _table_arns(stage)),
                _statement(
                    "Files",
                    ["s3:GetObject", "s3:GetObjectVersion", "s3:DeleteObject", "s3:DeleteObjectVersion"],
                    [_bucket_objects(stage)],
                ),
                _statement("ListVersions", ["s3:ListBucketVersions"], [f"arn:aws:s3:::{bucket}"]),
                _statement(
                    "Queue",
                    ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"],
                    [f"arn:aws:sqs:*:*:{resource_name(stage, 'uploads')}"],
                ),
                # A sealed letter is checked opened (type, active content, signatures); it stays sealed.
                _secrecy_keys("OpenSealedLetters", ["kms:Decrypt"]),
            ],
        },
        "on_records_change": {
            "Version": "2012-10-17",
            "Statement": [
                LOGS,
                _statement("Records", TABLE_RW, _table_arns(stage)),
                _statement(
                    "Stream",
                    [
                        "dynamodb:DescribeStream",
                        "dynamodb:GetRecords",
                        "dynamodb:GetShardIterator",
                        "dynamodb:ListStreams",
                    ],
                    [f"{_table_arns(stage)[0]}/stream/*"],
                ),
                _statement(
                    "Files", ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"], [_bucket_objects(stage)]
                ),
                _statement(
                    "FailedBatches",
                    ["sqs:SendMessage"],
                    [f"arn:aws:sqs:*:*:{resource_name(stage, 'stream-failures')}"],
                ),
                # The receipt stamp on a sealed letter: opened, stamped, sealed again for the agency.
                _secrecy_keys("StampSealedLetters", ["kms:Decrypt", "kms:GenerateDataKey"]),
                # Inbox changes and notifications told to the browsers concerned (push/service.py).
                _push_connections(stage),
            ],
        },
        "websocket_connect": {
            "Version": "2012-10-17",
            "Statement": [
                LOGS,
                # The token's holder in the directory (kernel/identity.py, as the API reads it).
                _statement("Directory", ["dynamodb:GetItem"], _table_arns(stage)[:1]),
                _connections(stage, ["dynamodb:PutItem"]),
            ],
        },
        "websocket_disconnect": {
            "Version": "2012-10-17",
            "Statement": [LOGS, _connections(stage, ["dynamodb:GetItem", "dynamodb:DeleteItem"])],
        },
        "websocket_message": {"Version": "2012-10-17", "Statement": [LOGS]},
        "clean_up": {
            "Version": "2012-10-17",
            "Statement": [
                LOGS,
                _statement("Records", TABLE_RW, _table_arns(stage)),
                # The only scan: the sparse pending-upload index, from this scheduled job.
                _statement("PendingUploads", ["dynamodb:Scan"], [f"{_table_arns(stage)[0]}/index/gsi2"]),
                # Expired uploads go; a destroyed record's files go, each read once for its tombstone.
                _statement(
                    "Files",
                    ["s3:DeleteObject", "s3:DeleteObjectVersion", "s3:GetObject", "s3:GetObjectVersion"],
                    [_bucket_objects(stage)],
                ),
                _statement("ListVersions", ["s3:ListBucketVersions"], [f"arn:aws:s3:::{bucket}"]),
                # The audit trail's sealed days: written locked, under the agencies' audit/ prefix only.
                _statement(
                    "AuditSeals",
                    ["s3:PutObject", "s3:PutObjectRetention"],
                    [f"arn:aws:s3:::{resource_name(stage, 'archive')}/*/audit/*"],
                ),
                # Destruction of approved records (archive/destruction.py): only this job deletes in the
                # archive, and S3 refuses any version whose lock or hold still stands.
                _statement(
                    "DestroyArchived",
                    [
                        "s3:DeleteObject",
                        "s3:DeleteObjectVersion",
                        "s3:GetObject",
                        "s3:GetObjectVersion",
                        "s3:GetObjectRetention",
                        "s3:GetObjectLegalHold",
                    ],
                    [f"arn:aws:s3:::{resource_name(stage, 'archive')}/*"],
                ),
                _statement(
                    "ListArchiveVersions",
                    ["s3:ListBucketVersions"],
                    [f"arn:aws:s3:::{resource_name(stage, 'archive')}"],
                ),
                {  # the audit trail and the packages handed to the National Archives are never destroyed
                    "Sid": "NeverTheAuditTrailOrTransfers",
                    "Effect": "Deny",
                    "Action": ["s3:DeleteObject", "s3:DeleteObjectVersion"],
                    "Resource": [
                        f"arn:aws:s3:::{resource_name(stage, 'archive')}/*/audit/*",
                        f"arn:aws:s3:::{resource_name(stage, 'archive')}/*/transfers/*",
                    ],
                },
            ],
        },
        "deliver_letters": {
            "Version": "2012-10-17",
            "Statement": [
                LOGS,
                _statement("Records", TABLE_RW, _table_arns(stage)),
                # Reads the sender's signed PDF, writes the recipient's copy (its arrival is then checked).
                _statement(
                    "Files", ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"], [_bucket_objects(stage)]
                ),
                _statement(
                    "Queue",
                    ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"],
                    [f"arn:aws:sqs:*:*:{resource_name(stage, 'exchange')}"],
                ),
                _ecms_credentials(stage),
                # Seals a classified letter: a data key under the sender's key, wrapped for the recipient's.
                _secrecy_keys("SealLetters", ["kms:Encrypt", "kms:GenerateDataKey"]),
            ],
        },
        "take_in_mail": {
            "Version": "2012-10-17",
            "Statement": [
                LOGS,
                _statement("Records", TABLE_RW, _table_arns(stage)),
                # Reads the raw message SES stored; writes its attachments as the letter's files.
                _statement(
                    "Mail",
                    ["s3:GetObject", "s3:GetObjectVersion"],
                    [f"arn:aws:s3:::{resource_name(stage, 'mail')}/mail/*"],
                ),
                _statement("Files", ["s3:PutObject", "s3:GetObject"], [_bucket_objects(stage)]),
                _statement(
                    "Queue",
                    ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"],
                    [f"arn:aws:sqs:*:*:{resource_name(stage, 'mail')}"],
                ),
            ],
        },
        "poll_ecms": {
            "Version": "2012-10-17",
            "Statement": [
                LOGS,
                _statement("Records", TABLE_RW, _table_arns(stage)),
                # Writes the PDFs of letters that came in (their arrival is then checked); the node is HTTP.
                _statement("Files", ["s3:GetObject", "s3:PutObject"], [_bucket_objects(stage)]),
                _ecms_credentials(stage),
            ],
        },
        "flag_overdue": {
            "Version": "2012-10-17",
            "Statement": [LOGS, _statement("Records", TABLE_RW, _table_arns(stage))],
        },
        "renew_timestamps": {
            "Version": "2012-10-17",
            "Statement": [
                LOGS,
                # The agencies and their signing settings; the due list (a query); each renewal's one
                # transaction: the archive record updated, the due item moved (delete, put), its audit
                # event (put). No index, no scan.
                _statement(
                    "Records",
                    [
                        "dynamodb:GetItem",
                        "dynamodb:Query",
                        "dynamodb:PutItem",
                        "dynamodb:UpdateItem",
                        "dynamodb:DeleteItem",
                    ],
                    _table_arns(stage)[:1],
                ),
                # An archived letter's current version read with its lock, its renewal written as a new
                # version under the same key, locked and held as the record is; never a delete, never
                # the audit trail's sealed days.
                _statement(
                    "ArchivedLetters",
                    [
                        "s3:GetObject",
                        "s3:GetObjectVersion",
                        "s3:GetObjectRetention",
                        "s3:GetObjectLegalHold",
                        "s3:PutObject",
                        "s3:PutObjectRetention",
                        "s3:PutObjectLegalHold",
                    ],
                    [f"arn:aws:s3:::{resource_name(stage, 'archive')}/*/letter"],
                ),
            ],
        },
        "send_notifications": {
            "Version": "2012-10-17",
            "Statement": [
                LOGS,
                _statement("Records", TABLE_RW, _table_arns(stage)),
                # Sends only, and only from the account's verified identities (EOFFICE_MAIL_FROM's domain).
                _statement("Mail", ["ses:SendEmail"], ["arn:aws:ses:*:*:identity/*"]),
            ],
        },
        "sign_documents": {
            "Version": "2012-10-17",
            "Statement": [
                LOGS,
                _statement("Records", TABLE_RW, _table_arns(stage)),
                _statement(
                    "Files", ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"], [_bucket_objects(stage)]
                ),
                _statement(
                    "Queue",
                    ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"],
                    [f"arn:aws:sqs:*:*:{resource_name(stage, 'sign')}"],
                ),
                # Only keys the onboarding template tagged for document signing; only Sign and GetPublicKey.
                {
                    "Sid": "SigningKeys",
                    "Effect": "Allow",
                    "Action": ["kms:GetPublicKey", "kms:Sign"],
                    "Resource": ["arn:aws:kms:*:*:key/*"],
                    "Condition": {"StringEquals": {"aws:ResourceTag/eoffice:purpose": "document-signing"}},
                },
                # A signer's key is made on their first signature (signing_keys/service.py): only a
                # KMS-held signing key of an allowed spec, and only one tagged for document signing, so
                # the statement above then governs it. CreateKey has no resource to name.
                {
                    "Sid": "CreateSigningKeys",
                    "Effect": "Allow",
                    "Action": ["kms:CreateKey"],
                    "Resource": ["*"],
                    "Condition": {
                        "StringEquals": {
                            "aws:RequestTag/eoffice:purpose": "document-signing",
                            "kms:KeyUsage": "SIGN_VERIFY",
                            "kms:KeyOrigin": "AWS_KMS",
                            "kms:KeySpec": list(SIGNING_KEY_SPECS),
                        },
                        "Bool": {"kms:BypassPolicyLockoutSafetyCheck": "false"},
                    },
                },
                # CreateKey with tags needs TagResource too; only with the signing purpose tag.
                {
                    "Sid": "TagNewSigningKeys",
                    "Effect": "Allow",
                    "Action": ["kms:TagResource"],
                    "Resource": ["arn:aws:kms:*:*:key/*"],
                    "Condition": {"StringEquals": {"aws:RequestTag/eoffice:purpose": "document-signing"}},
                },
                # A key made by a claim that was taken over meanwhile is scheduled for deletion at once,
                # only while it is still uncertified.
                {
                    "Sid": "DropUnclaimedSigningKeys",
                    "Effect": "Allow",
                    "Action": ["kms:ScheduleKeyDeletion"],
                    "Resource": ["arn:aws:kms:*:*:key/*"],
                    "Condition": {
                        "StringEquals": {
                            "aws:ResourceTag/eoffice:purpose": "document-signing",
                            "aws:ResourceTag/eoffice:certificate": "pending",
                        }
                    },
                },
            ],
        },
        "retire_signing_keys": {
            "Version": "2012-10-17",
            "Statement": [
                LOGS,
                # The agencies, their users and the inventory (queries); each change with its audit event.
                _statement(
                    "Records",
                    ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem", "dynamodb:UpdateItem"],
                    _table_arns(stage)[:1],
                ),
                # Signing keys only: disabled when the role ends, deletion scheduled after the grace period.
                {
                    "Sid": "RetireSigningKeys",
                    "Effect": "Allow",
                    "Action": ["kms:DescribeKey", "kms:DisableKey", "kms:ScheduleKeyDeletion"],
                    "Resource": ["arn:aws:kms:*:*:key/*"],
                    "Condition": {"StringEquals": {"aws:ResourceTag/eoffice:purpose": "document-signing"}},
                },
            ],
        },
    }


def config() -> dict[str, Any]:
    stages: dict[str, Any] = {}
    for stage in STAGES:
        stages[stage] = {
            "api_gateway_stage": stage,  # routes carry /v1 themselves
            "environment_variables": environment(stage),
            "lambda_functions": {
                name: {**settings, "iam_policy_file": f"policy-{stage}-{name}.json", "autogen_policy": False}
                for name, settings in FUNCTIONS.items()
            },
        }
    return {"version": "2.0", "app_name": "eoffice", "automatic_layer": False, "stages": stages}


def merge_template(stage: str = "prod") -> dict[str, Any]:
    """What Chalice cannot say, merged into its SAM output (`chalice package --merge-template`):
    partial batch responses, and for the stream bisecting and bounded retries."""
    partial = {"FunctionResponseTypes": ["ReportBatchItemFailures"]}

    def events(function: str, source: str, properties: dict[str, Any]) -> dict[str, Any]:
        return {function: {"Properties": {"Events": {f"{function}{source}": {"Properties": properties}}}}}

    resources: dict[str, Any] = {}
    resources |= events("CheckUploads", "SqsEventSource", partial)
    resources |= events("SignDocuments", "SqsEventSource", partial)
    resources |= events(
        "OnRecordsChange",
        "DynamodbEventSource",
        {
            **partial,
            "BisectBatchOnFunctionError": True,
            "MaximumRetryAttempts": 5,
            "Stream": {"Fn::ImportValue": stream_export(stage)},  # from the platform stack
            "DestinationConfig": {
                "OnFailure": {
                    "Type": "SQS",
                    "Destination": {"Fn::ImportValue": resource_name(stage, "stream-failures-arn")},
                }
            },
        },
    )
    # Every function finds the platform's resources and its token issuer through the platform stack's
    # exports: the packaged environment names no resource by a guessed name.
    for function in FUNCTIONS:
        logical = logical_id(function)
        resource = resources.setdefault(logical, {})
        properties = resource.setdefault("Properties", {})
        # The e-CMS node is the deployment's (a parameter), not the platform stack's.
        properties["Environment"] = {
            "Variables": {
                **imported_environment(stage),
                "EOFFICE_ECMS_URL": {"Ref": "EcmsUrl"},
                "EOFFICE_ECMS_SECRET": {"Ref": "EcmsSecretName"},
                # Notification e-mail: the sending address (a verified SES identity) and the web app.
                "EOFFICE_MAIL_FROM": {"Ref": "MailFrom"},
                "EOFFICE_APP_URL": {"Ref": "AppUrl"},
            }
        }
        if function in RESERVED_CONCURRENCY:
            properties["ReservedConcurrentExecutions"] = RESERVED_CONCURRENCY[function]
        properties["Layers"] = [{"Ref": f"{layer.title()}Layer"} for layer in FUNCTION_LAYERS[function]]
        if function in SNAPSTART:
            properties["SnapStart"] = {"ApplyOn": "PublishedVersions"}
            properties["AutoPublishAlias"] = "live"
        resource["Metadata"] = _skip(*_function_findings(function))
        resources |= _operations(function, logical)
    # The stream handler posts to the browsers' connections (push/service.py) at the stage's endpoint.
    stream = resources[logical_id("on_records_change")]["Properties"]["Environment"]["Variables"]
    stream["EOFFICE_WEBSOCKET_ENDPOINT"] = {
        "Fn::Sub": "https://${WebsocketAPI}.execute-api.${AWS::Region}.${AWS::URLSuffix}/" + stage
    }
    resources |= _websocket_api()
    resources["RestAPI"] = {
        "Metadata": _skip(
            ("CKV_AWS_120", "every answer is per user and authorised: a cache would mix users")
        ),
        "Properties": {
            "TracingEnabled": True,
            "MethodSettings": [
                {
                    "ResourcePath": "/*",
                    "HttpMethod": "*",
                    "ThrottlingRateLimit": API_RATE_PER_SECOND,
                    "ThrottlingBurstLimit": API_BURST,
                    "MetricsEnabled": True,
                }
            ],
            "AccessLogSetting": {
                "DestinationArn": {"Fn::GetAtt": ["ApiAccessLogs", "Arn"]},
                "Format": json.dumps(ACCESS_LOG_FORMAT, separators=(",", ":")),
            },
        },
    }
    for layer in LAYERS:
        resources[f"{layer.title()}Layer"] = {
            "Type": "AWS::Serverless::LayerVersion",
            "Properties": {
                "LayerName": resource_name(stage, layer),
                "ContentUri": f"./layers/{layer}.zip",  # written by python -m infra.package
                "CompatibleRuntimes": [f"python{PYTHON_VERSION}"],
                "RetentionPolicy": "Retain",  # older function versions keep working
            },
        }
    resources["ApiAccessLogs"] = {
        "Type": "AWS::Logs::LogGroup",
        "DeletionPolicy": "Retain",
        "UpdateReplacePolicy": "Retain",
        "Metadata": _skip(("CKV_AWS_158", LOG_ENCRYPTION_REASON)),
        "Properties": {"RetentionInDays": {"Ref": "LogRetentionDays"}},
    }
    resources["ApiWebAcl"] = {
        "Type": "AWS::WAFv2::WebACLAssociation",
        "Condition": "HasWebAcl",
        "Properties": {
            "ResourceArn": {
                "Fn::Sub": "arn:${AWS::Partition}:apigateway:${AWS::Region}::/restapis/${RestAPI}/stages/"
                + stage
            },
            "WebACLArn": {"Ref": "WebAclArn"},
        },
    }
    return {
        "Parameters": {
            "AlarmTopicArn": {"Type": "String", "Description": "the SNS topic alarms notify"},
            "WebAclArn": {
                "Type": "String",
                "Default": "",
                "Description": "a WAFv2 web ACL for the API (optional)",
            },
            "EcmsUrl": {
                "Type": "String",
                "Default": "",
                "Description": "this deployment's e-CMS node (SOAP)",
            },
            "EcmsSecretName": {
                "Type": "String",
                "Default": "",
                "AllowedPattern": f"^(|{resource_name(stage, 'ecms')}-[A-Za-z0-9/_+=.@-]+)$",
                "Description": "the e-CMS node's credentials: a Secrets Manager secret {username, password}",
            },
            "MailFrom": {
                "Type": "String",
                "Default": "no-reply@eoffice.go.th",
                "Description": "where notification e-mail comes from (a verified SES domain)",
            },
            "AppUrl": {
                "Type": "String",
                "Default": "",
                "Description": "the web application's address, for links in notification e-mail",
            },
            "LogRetentionDays": {
                "Type": "Number",
                "Default": 400,
                # The API access log is traffic data: at least 90 days (see API_LOG_RETENTION_DAYS).
                "AllowedValues": [90, 180, 365, 400, 545, 731, 1827, 3653],
                "Description": "days the API access log (traffic data) is kept; function logs: fixed",
            },
        },
        "Conditions": {"HasWebAcl": {"Fn::Not": [{"Fn::Equals": [{"Ref": "WebAclArn"}, ""]}]}},
        "Resources": resources,
    }


# The API is throttled at the gateway (per stage): beyond this, 429 before any function runs.
API_RATE_PER_SECOND = 2000
API_BURST = 4000
# The sign worker is held to what KMS's Sign quota for RSA keys allows in a region (shared by every
# agency), so a burst of signing waits in its queue rather than being throttled by KMS; a scheduled job
# never overlaps itself.
RESERVED_CONCURRENCY = {
    "sign_documents": 50,
    "clean_up": 1,
    "flag_overdue": 1,
    "poll_ecms": 1,
    "send_notifications": 1,  # one run at a time: a second would only find the outbox taken
    "renew_timestamps": 1,
    "retire_signing_keys": 1,
}
# SnapStart where it cuts cold start most (bench/package_bench.py): the sign worker, whose init with its
# first event's imports (pyHanko, the signing toolkit) measured 0.86 s, twice any other function's; app.py
# primes those imports during a SnapStart init so they are in the snapshot. Its SQS source invokes the
# published alias (SAM's AutoPublishAlias). Not the API: Chalice's generated OpenAPI integration calls
# the function's unqualified ARN ($LATEST), which SnapStart does not cover. The others (~0.4 s) stay as
# they are until a measurement on AWS says the restore is worth it.
SNAPSTART = ("sign_documents",)
# What a lazily made signer key may be (onboarding/settings.py offers the same).
SIGNING_KEY_SPECS = ("RSA_2048", "RSA_3072", "RSA_4096", "ECC_NIST_P256", "ECC_NIST_P384")
# Days each function's log group keeps its lines. The record of what happened is the audit log in
# DynamoDB (append-only, sealed daily); these logs are diagnostics. The API's are the largest and are
# read within days of a complaint: 30. Workers and scheduled jobs explain failed jobs found later (a
# dead-letter queue keeps messages 14 days, a daily job's trouble may surface in a month's report): 90.
# Traffic data (who called, when: the API access log, ApiAccessLogs) is kept LogRetentionDays, at least
# the 90 days the Computer-Related Crime Act (s. 26) asks of service providers.
API_LOG_RETENTION_DAYS = 30
WORKER_LOG_RETENTION_DAYS = 90


def log_retention_days(function: str) -> int:
    api = function == "api_handler" or function.startswith("websocket_")
    return API_LOG_RETENTION_DAYS if api else WORKER_LOG_RETENTION_DAYS


LOG_ENCRYPTION_REASON = (
    "logs carry ids, outcomes and timings (Powertools structured logs), never letter content or tokens:"
    " CloudWatch Logs' own encryption at rest"
)
ACCESS_LOG_FORMAT = {
    "requestId": "$context.requestId",
    "ip": "$context.identity.sourceIp",
    "method": "$context.httpMethod",
    "path": "$context.resourcePath",
    "status": "$context.status",
    "latencyMs": "$context.responseLatency",
    "time": "$context.requestTime",
}


def _websocket_api() -> dict[str, Any]:
    """Chalice's WebSocket API (push/): its stage throttled and logged like the REST API's (the token
    travels in a header, never in the URL, and no header is logged)."""
    found: dict[str, Any] = {
        "WebsocketAPIStage": {
            "Properties": {
                "DefaultRouteSettings": {
                    "ThrottlingRateLimit": WEBSOCKET_RATE_PER_SECOND,
                    "ThrottlingBurstLimit": WEBSOCKET_BURST,
                },
                "AccessLogSettings": {
                    "DestinationArn": {"Fn::GetAtt": ["ApiAccessLogs", "Arn"]},
                    "Format": json.dumps(WEBSOCKET_LOG_FORMAT, separators=(",", ":")),
                },
            }
        },
    }
    for route in ("Connect", "Message", "Disconnect"):
        found[f"Websocket{route}Route"] = {
            "Metadata": _skip(
                (
                    "CKV_AWS_309",
                    "the $connect handler checks the ID token as the REST API does (push/worker.py) and"
                    " refuses the connection otherwise; later routes run on that authenticated connection",
                )
            )
        }
    return found


WEBSOCKET_RATE_PER_SECOND = 500
WEBSOCKET_BURST = 1000
WEBSOCKET_LOG_FORMAT = {
    "requestId": "$context.requestId",
    "ip": "$context.identity.sourceIp",
    "eventType": "$context.eventType",
    "routeKey": "$context.routeKey",
    "connectionId": "$context.connectionId",
    "status": "$context.status",
    "time": "$context.requestTime",
}


def _skip(*findings: tuple[str, str]) -> dict[str, Any]:
    return {"checkov": {"skip": [{"id": check, "comment": reason} for check, reason in findings]}}


def _function_findings(function: str) -> list[tuple[str, str]]:
    found = [
        (
            "CKV_AWS_117",
            "calls only AWS APIs (DynamoDB, S3, SQS, KMS) over TLS under its own role: a VPC would add NAT"
            " and cold start without narrowing what it can reach",
        ),
        ("CKV_AWS_173", "the environment holds resource names and the token issuer only, no secret"),
        (
            "CKV_AWS_116",
            {
                "api_handler": "invoked synchronously by API Gateway: the caller gets the error",
                "check_uploads": "fed by SQS: failed messages go to the queue's own dead-letter queue",
                "sign_documents": "fed by SQS: failed messages go to the queue's own dead-letter queue",
                "deliver_letters": "fed by SQS: failed messages go to the queue's own dead-letter queue",
                "take_in_mail": "fed by SQS: failed messages go to the queue's own dead-letter queue",
                "on_records_change": "fed by the stream: failed batches go to its on-failure queue",
                "websocket_connect": "invoked synchronously by API Gateway: the browser is refused",
                "websocket_message": "invoked synchronously by API Gateway: the browser gets the error",
                "websocket_disconnect": "invoked by API Gateway; the connection's items expire by TTL",
            }.get(function, "a scheduled, idempotent job: the next run redoes it; errors alarm"),
        ),
    ]
    if function not in RESERVED_CONCURRENCY:
        found.append(
            (
                "CKV_AWS_115",
                "the API is throttled at the gateway; the upload checks and the stream are bounded by their"
                " event sources; reserving concurrency would only cap throughput",
            )
        )
    return found


def _operations(function: str, logical_id: str) -> dict[str, Any]:
    """The function's log group (kept log_retention_days) and its alarms: errors and throttles."""
    found: dict[str, Any] = {
        f"{logical_id}Logs": {
            "Type": "AWS::Logs::LogGroup",
            "DeletionPolicy": "Retain",
            "UpdateReplacePolicy": "Retain",
            "Metadata": _skip(("CKV_AWS_158", LOG_ENCRYPTION_REASON)),
            "Properties": {
                "LogGroupName": {"Fn::Sub": f"/aws/lambda/${{{logical_id}}}"},
                "RetentionInDays": log_retention_days(function),
            },
        }
    }
    for metric in ("Errors", "Throttles"):
        found[f"{logical_id}{metric}Alarm"] = {
            "Type": "AWS::CloudWatch::Alarm",
            "Properties": {
                "AlarmDescription": f"{function}: {metric.lower()} in the last 5 minutes",
                "Namespace": "AWS/Lambda",
                "MetricName": metric,
                "Dimensions": [{"Name": "FunctionName", "Value": {"Ref": logical_id}}],
                "Statistic": "Sum",
                "Period": 300,
                "EvaluationPeriods": 1,
                "Threshold": 0,
                "ComparisonOperator": "GreaterThanThreshold",
                "TreatMissingData": "notBreaching",
                "AlarmActions": [{"Ref": "AlarmTopicArn"}],
            },
        }
    return found


def logical_id(function: str) -> str:
    """Chalice's name for a function's resource in its SAM template."""
    return "APIHandler" if function == "api_handler" else "".join(p.title() for p in function.split("_"))


def rendered() -> dict[str, str]:
    files = {"config.json": json.dumps(config(), indent=2, ensure_ascii=False) + "\n"}
    files["merge-template.json"] = json.dumps(merge_template(), indent=2) + "\n"
    for stage in STAGES:
        for name, policy in policies(stage).items():
            files[f"policy-{stage}-{name}.json"] = json.dumps(policy, indent=2) + "\n"
    return files


def main() -> None:
    CONFIG_DIR.mkdir(exist_ok=True)
    for name, text in rendered().items():
        (CONFIG_DIR / name).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
