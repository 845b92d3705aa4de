"""The platform's AWS resources, defined once.

The same definition renders the CloudFormation template that `infra/` deploys
(`python -m infra.build`) and creates the resources on the local stack's embedded backend
(`devstack.resources`). Change a table, queue or bucket here and both follow.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from infra import web_hosting

APP = "eoffice"


@dataclass(frozen=True)
class Index:
    name: str
    hash_key: str
    range_key: str


@dataclass(frozen=True)
class Table:
    logical_id: str
    suffix: str
    hash_key: str
    range_key: str
    indexes: tuple[Index, ...] = ()
    stream: str | None = "NEW_AND_OLD_IMAGES"
    ttl_attribute: str | None = "ttl"


@dataclass(frozen=True)
class Queue:
    logical_id: str
    suffix: str
    visibility_timeout: int  # at least the consuming function's timeout
    max_receive_count: int = 3  # then the message moves to the dead-letter queue


@dataclass(frozen=True)
class Bucket:
    logical_id: str
    suffix: str
    notify_queue: str | None = None  # ObjectCreated events go to this queue (S3 -> SQS -> Lambda)
    versioned: bool = True
    # Write once: S3 Object Lock, each object locked by the app (compliance mode until its keep-until
    # year, or a legal hold for records kept forever); then S3 itself refuses to delete or overwrite it.
    object_lock: bool = False


@dataclass(frozen=True)
class Platform:
    tables: tuple[Table, ...]
    queues: tuple[Queue, ...]
    buckets: tuple[Bucket, ...]
    user_pool_attributes: tuple[str, ...] = field(default=("agency_id",))


PLATFORM = Platform(
    tables=(
        # Single table: every partition key starts with the agency id (tenancy by construction).
        Table(
            "RecordsTable",
            "records",
            hash_key="pk",
            range_key="sk",
            indexes=(
                Index("gsi1", "gsi1pk", "gsi1sk"),  # a record's own audit trail
                Index("gsi2", "gsi2pk", "gsi2sk"),  # sparse: uploads still pending, by expiry (clean-up)
                # Sparse: each user's, position's and unit's inbox in order; due and stuck markers in
                # sharded partitions (routing). One GSI per deploy: CloudFormation adds one at a time.
                Index("gsi3", "gsi3pk", "gsi3sk"),
            ),
        ),
    ),
    queues=(
        Queue("UploadsQueue", "uploads", visibility_timeout=120),
        Queue("SignQueue", "sign", visibility_timeout=300),
        # Letters on their way to other agencies: one message per recipient (a circular fans out here).
        Queue("ExchangeQueue", "exchange", visibility_timeout=180),
        # Raw e-mail that arrived at an agency's central address (SES stores it in the mail bucket).
        Queue("MailQueue", "mail", visibility_timeout=180),
        # Where a stream batch goes when its retries are exhausted (the lifecycle handler's on-failure
        # destination): nothing from the stream is dropped silently.
        Queue("StreamFailuresQueue", "stream-failures", visibility_timeout=60),
    ),
    buckets=(
        Bucket("FilesBucket", "files", notify_queue="uploads"),
        # SES receipt rules store each agency's incoming mail under mail/<agency>/ (one object a message).
        Bucket("MailBucket", "mail", notify_queue="mail"),
        # Records sent to storage (archive/): write-once under their retention (docs/rules.md, "Archive").
        Bucket("ArchiveBucket", "archive", object_lock=True),
    ),
)


# What the SPA's client may read and write of a user. The agency attribute is read-only to users:
# only the onboarding (admin APIs) sets it, so nobody can move themselves into another agency.
CLIENT_WRITE_ATTRIBUTES = ("email",)


def client_read_attributes() -> tuple[str, ...]:
    return ("email", *(f"custom:{a}" for a in PLATFORM.user_pool_attributes))


def resource_name(stage: str, suffix: str) -> str:
    return f"{APP}-{stage}-{suffix}"


def dlq_name(stage: str, queue: Queue) -> str:
    return resource_name(stage, f"{queue.suffix}-dlq")


def stream_export(stage: str) -> str:
    """The exported name under which the functions' stack finds the records table's stream."""
    return resource_name(stage, "records-stream-arn")


def environment(stage: str) -> dict[str, str]:
    """The environment variables through which the functions find these resources."""
    env = {"EOFFICE_STAGE": stage}
    for table in PLATFORM.tables:
        env[f"EOFFICE_TABLE_{table.suffix.upper()}"] = resource_name(stage, table.suffix)
    for queue in PLATFORM.queues:
        env[f"EOFFICE_QUEUE_{queue.suffix.upper().replace('-', '_')}"] = resource_name(stage, queue.suffix)
    for bucket in PLATFORM.buckets:
        env[f"EOFFICE_BUCKET_{bucket.suffix.upper()}"] = resource_name(stage, bucket.suffix)
    return env


def table_schema(table: Table) -> dict[str, Any]:
    """Keys, indexes and billing: the same words in CloudFormation and in DynamoDB's CreateTable."""
    attrs = {table.hash_key, table.range_key} | {a for i in table.indexes for a in (i.hash_key, i.range_key)}
    schema: dict[str, Any] = {
        "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": a, "AttributeType": "S"} for a in sorted(attrs)],
        "KeySchema": [
            {"AttributeName": table.hash_key, "KeyType": "HASH"},
            {"AttributeName": table.range_key, "KeyType": "RANGE"},
        ],
    }
    if table.indexes:
        schema["GlobalSecondaryIndexes"] = [
            {
                "IndexName": i.name,
                "KeySchema": [
                    {"AttributeName": i.hash_key, "KeyType": "HASH"},
                    {"AttributeName": i.range_key, "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
            for i in table.indexes
        ]
    return schema


def cloudformation_template(stage: str) -> dict[str, Any]:
    resources: dict[str, Any] = {}
    for table in PLATFORM.tables:
        props: dict[str, Any] = {
            "TableName": resource_name(stage, table.suffix),
            **table_schema(table),
            "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True},
            # Letters and personal data: encrypted with the platform's own key (DataKey), not AWS's.
            "SSESpecification": {"SSEEnabled": True, "SSEType": "KMS", "KMSMasterKeyId": {"Ref": "DataKey"}},
            "DeletionProtectionEnabled": True,
        }
        if table.stream:
            props["StreamSpecification"] = {"StreamViewType": table.stream}
        if table.ttl_attribute:
            props["TimeToLiveSpecification"] = {"AttributeName": table.ttl_attribute, "Enabled": True}
        resources[table.logical_id] = {
            "Type": "AWS::DynamoDB::Table",
            "DeletionPolicy": "Retain",
            "UpdateReplacePolicy": "Retain",
            "Properties": props,
        }

    for queue in PLATFORM.queues:
        dlq_id = f"{queue.logical_id}DeadLetters"
        resources[dlq_id] = {
            "Type": "AWS::SQS::Queue",
            "Metadata": _skip(("CKV_AWS_27", QUEUE_ENCRYPTION_REASON)),
            "Properties": {
                "QueueName": dlq_name(stage, queue),
                "MessageRetentionPeriod": 1209600,
                "SqsManagedSseEnabled": True,
            },
        }
        resources[queue.logical_id] = {
            "Type": "AWS::SQS::Queue",
            "Metadata": _skip(("CKV_AWS_27", QUEUE_ENCRYPTION_REASON)),
            "Properties": {
                "QueueName": resource_name(stage, queue.suffix),
                "VisibilityTimeout": queue.visibility_timeout,
                "SqsManagedSseEnabled": True,
                "RedrivePolicy": {
                    "deadLetterTargetArn": {"Fn::GetAtt": [dlq_id, "Arn"]},
                    "maxReceiveCount": queue.max_receive_count,
                },
            },
        }

    queue_ids = {q.suffix: q.logical_id for q in PLATFORM.queues}
    for bucket in PLATFORM.buckets:
        bucket_name = resource_name(stage, bucket.suffix)
        props = {
            "BucketName": bucket_name,  # globally unique: choose stage names accordingly
            "PublicAccessBlockConfiguration": {
                "BlockPublicAcls": True,
                "BlockPublicPolicy": True,
                "IgnorePublicAcls": True,
                "RestrictPublicBuckets": True,
            },
            "BucketEncryption": {
                "ServerSideEncryptionConfiguration": [
                    {
                        "ServerSideEncryptionByDefault": {
                            "SSEAlgorithm": "aws:kms",
                            "KMSMasterKeyID": {"Ref": "DataKey"},
                        },
                        "BucketKeyEnabled": True,  # one data key per bucket: KMS calls (and cost) stay low
                    }
                ]
            },
            "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
            "LoggingConfiguration": {
                "DestinationBucketName": {"Ref": "AccessLogsBucket"},
                "LogFilePrefix": f"{bucket.suffix}/",
            },
        }
        if bucket.versioned:
            props["VersioningConfiguration"] = {"Status": "Enabled"}
        if bucket.suffix == "files":  # the browser's presigned POST, from the web application only
            props["CorsConfiguration"] = web_hosting.files_cors()
        if bucket.object_lock:  # no default retention: each record is locked for its own period
            props["ObjectLockEnabled"] = True
            props["ObjectLockConfiguration"] = {"ObjectLockEnabled": "Enabled"}
        bucket_resource: dict[str, Any] = {
            "Type": "AWS::S3::Bucket",
            "DeletionPolicy": "Retain",
            "UpdateReplacePolicy": "Retain",
            "Properties": props,
        }
        resources[f"{bucket.logical_id}Policy"] = _tls_only(bucket.logical_id)
        if bucket.notify_queue:
            qid = queue_ids[bucket.notify_queue]
            policy_id = f"{qid}FromS3Policy"
            resources[policy_id] = {
                "Type": "AWS::SQS::QueuePolicy",
                "Properties": {
                    "Queues": [{"Ref": qid}],
                    "PolicyDocument": {
                        "Version": "2012-10-17",
                        "Statement": [
                            {
                                "Effect": "Allow",
                                "Principal": {"Service": "s3.amazonaws.com"},
                                "Action": "sqs:SendMessage",
                                "Resource": {"Fn::GetAtt": [qid, "Arn"]},
                                "Condition": {
                                    "StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}
                                },
                            }
                        ],
                    },
                },
            }
            props["NotificationConfiguration"] = {
                "QueueConfigurations": [
                    {"Event": "s3:ObjectCreated:*", "Queue": {"Fn::GetAtt": [qid, "Arn"]}}
                ]
            }
            bucket_resource["DependsOn"] = policy_id
        resources[bucket.logical_id] = bucket_resource

    resources |= security_resources(stage)
    resources |= identity_resources(stage)
    resources |= web_hosting.web_resources(_skip, resource_name(stage, "files"))
    outputs = {
        name: {"Value": value, "Export": {"Name": export}}
        for name, (export, value) in platform_exports(stage).items()
    }
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": f"e-Office platform data resources, identity and web application ({stage})",
        "Parameters": {**IDENTITY_PARAMETERS, **OPERATIONS_PARAMETERS, **web_hosting.WEB_PARAMETERS},
        "Conditions": web_hosting.CONDITIONS,
        "Resources": resources,
        "Outputs": {**outputs, **web_hosting.web_outputs(lambda name: resource_name(stage, name))},
    }


# -- security and operations: the data key, access logs, TLS only, alarms ---------------------------
QUEUE_ENCRYPTION_REASON = (
    "messages carry ids only (agency, document, slot), never letter content: SQS-managed SSE encrypts "
    "them at rest; a customer key would add a KMS call to every send and receive for no gain"
)
OPERATIONS_PARAMETERS: dict[str, Any] = {
    "AlarmTopicArn": {
        "Type": "String",
        "Description": "the SNS topic that alarms notify (operations on call)",
    },
    "AccessLogDays": {"Type": "Number", "Default": 400, "Description": "how long S3 access logs are kept"},
}


def _skip(*findings: tuple[str, str]) -> dict[str, Any]:
    """checkov findings this resource answers otherwise, each with its reason (reviewed, not hidden)."""
    return {"checkov": {"skip": [{"id": check, "comment": reason} for check, reason in findings]}}


def _tls_only(bucket_logical_id: str) -> dict[str, Any]:
    """Refuse any request to the bucket that does not come over TLS."""
    arn = {"Fn::GetAtt": [bucket_logical_id, "Arn"]}
    return {
        "Type": "AWS::S3::BucketPolicy",
        "Properties": {
            "Bucket": {"Ref": bucket_logical_id},
            "PolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Sid": "TlsOnly",
                        "Effect": "Deny",
                        "Principal": "*",
                        "Action": "s3:*",
                        "Resource": [arn, {"Fn::Sub": f"${{{bucket_logical_id}.Arn}}/*"}],
                        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                    }
                ],
            },
        },
    }


def _service_use(service: str) -> dict[str, Any]:
    """The account's principals may use the data key only through this service (the key policy pattern
    AWS's own managed keys use), so no role needs kms:* on it."""
    return {
        "Sid": f"UseThrough{service.split('.', maxsplit=1)[0].title()}",
        "Effect": "Allow",
        "Principal": {"AWS": "*"},
        "Action": [
            "kms:Encrypt",
            "kms:Decrypt",
            "kms:ReEncrypt*",
            "kms:GenerateDataKey*",
            "kms:CreateGrant",
            "kms:DescribeKey",
        ],
        "Resource": "*",
        "Condition": {
            "StringEquals": {
                "kms:CallerAccount": {"Ref": "AWS::AccountId"},
                "kms:ViaService": {"Fn::Sub": f"{service}.${{AWS::Region}}.amazonaws.com"},
            }
        },
    }


def security_resources(stage: str) -> dict[str, Any]:
    queues = [*(f"{q.logical_id}DeadLetters" for q in PLATFORM.queues), "StreamFailuresQueue"]
    resources: dict[str, Any] = {
        "DataKey": {
            "Type": "AWS::KMS::Key",
            "Metadata": _skip(
                (
                    "CKV_AWS_33",
                    "the * principal is bound by kms:CallerAccount and kms:ViaService (DynamoDB, S3, Secrets"
                    " Manager in this region): the pattern of AWS managed keys, so no role needs kms:* on it",
                )
            ),
            "DeletionPolicy": "Retain",
            "UpdateReplacePolicy": "Retain",
            "Properties": {
                "Description": f"e-Office {stage}: the records table, the files bucket, the ThaiD secret",
                "EnableKeyRotation": True,
                "KeyPolicy": {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Sid": "AccountAdministers",
                            "Effect": "Allow",
                            "Principal": {
                                "AWS": {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}
                            },
                            "Action": "kms:*",
                            "Resource": "*",
                        },
                        *(_service_use(s) for s in ("dynamodb", "s3", "secretsmanager")),
                    ],
                },
            },
        },
        "DataKeyAlias": {
            "Type": "AWS::KMS::Alias",
            "Properties": {
                "AliasName": f"alias/{resource_name(stage, 'data')}",
                "TargetKeyId": {"Ref": "DataKey"},
            },
        },
        "AccessLogsBucket": {
            "Type": "AWS::S3::Bucket",
            "DeletionPolicy": "Retain",
            "UpdateReplacePolicy": "Retain",
            "Metadata": _skip(
                ("CKV_AWS_18", "the access-log bucket does not log itself (that would loop)"),
            ),
            "Properties": {
                "BucketName": resource_name(stage, "access-logs"),
                "PublicAccessBlockConfiguration": {
                    "BlockPublicAcls": True,
                    "BlockPublicPolicy": True,
                    "IgnorePublicAcls": True,
                    "RestrictPublicBuckets": True,
                },
                # S3 server access logs can only be delivered to SSE-S3 buckets.
                "BucketEncryption": {
                    "ServerSideEncryptionConfiguration": [
                        {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}
                    ]
                },
                "VersioningConfiguration": {"Status": "Enabled"},
                "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
                "LifecycleConfiguration": {
                    "Rules": [
                        {
                            "Id": "expire",
                            "Status": "Enabled",
                            "ExpirationInDays": {"Ref": "AccessLogDays"},
                            "NoncurrentVersionExpiration": {"NoncurrentDays": 30},
                        }
                    ]
                },
            },
        },
        "AccessLogsBucketPolicy": {
            "Type": "AWS::S3::BucketPolicy",
            "Properties": {
                "Bucket": {"Ref": "AccessLogsBucket"},
                "PolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [
                        *_tls_only("AccessLogsBucket")["Properties"]["PolicyDocument"]["Statement"],
                        {
                            "Sid": "S3DeliversAccessLogs",
                            "Effect": "Allow",
                            "Principal": {"Service": "logging.s3.amazonaws.com"},
                            "Action": "s3:PutObject",
                            "Resource": {"Fn::Sub": "${AccessLogsBucket.Arn}/*"},
                            "Condition": {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}},
                        },
                    ],
                },
            },
        },
    }
    for queue in queues:
        # Anything in a dead-letter queue is work that failed for good (a sign job, an upload check):
        # someone must look. The stream's failures queue likewise.
        resources[f"{queue}DepthAlarm"] = {
            "Type": "AWS::CloudWatch::Alarm",
            "Properties": {
                "AlarmDescription": f"{queue}: messages are waiting (failed for good): look and redrive",
                "Namespace": "AWS/SQS",
                "MetricName": "ApproximateNumberOfMessagesVisible",
                "Dimensions": [{"Name": "QueueName", "Value": {"Fn::GetAtt": [queue, "QueueName"]}}],
                "Statistic": "Maximum",
                "Period": 300,
                "EvaluationPeriods": 1,
                "Threshold": 0,
                "ComparisonOperator": "GreaterThanThreshold",
                "TreatMissingData": "notBreaching",
                "AlarmActions": [{"Ref": "AlarmTopicArn"}],
            },
        }
    return resources


# -- identity: the user pool, ThaiD, the hosted domain, the SPA's client ---------------------------
IDENTITY_PARAMETERS: dict[str, Any] = {
    "ThaiDClientId": {"Type": "String", "Description": "the client id DOPA issued for ThaiD (OIDC)"},
    "ThaiDClientSecret": {
        "Type": "String",
        "NoEcho": True,
        "Description": "its client secret: kept in Secrets Manager, never in the template's outputs",
    },
    "ThaiDIssuer": {
        "Type": "String",
        "Default": "https://imauth.bora.dopa.go.th",
        "Description": "ThaiD's OIDC issuer (its discovery document names the endpoints)",
    },
    "HostedDomainPrefix": {"Type": "String", "Description": "the Cognito hosted domain's prefix"},
    "SpaCallbackUrls": {"Type": "CommaDelimitedList", "Description": "the web app's sign-in callback URLs"},
    "SpaLogoutUrls": {"Type": "CommaDelimitedList", "Description": "the web app's sign-out URLs"},
}


def identity_resources(stage: str) -> dict[str, Any]:
    """Cognito with ThaiD as an OIDC identity provider: staff sign in with ThaiD (or, for break-glass
    and tests, a pool password); the API verifies the pool's ID tokens (kernel/identity.py)."""
    return {
        "UserPool": {
            "Type": "AWS::Cognito::UserPool",
            "DeletionPolicy": "Retain",
            "UpdateReplacePolicy": "Retain",
            "Properties": {
                "UserPoolName": resource_name(stage, "users"),
                "DeletionProtection": "ACTIVE",
                "Schema": [
                    {"Name": attr, "AttributeDataType": "String", "Mutable": False}
                    for attr in PLATFORM.user_pool_attributes
                ],
                # Users exist only once an agency is onboarded (eoffice onboard): no self sign-up.
                "AdminCreateUserConfig": {"AllowAdminCreateUserOnly": True},
                "Policies": {
                    "PasswordPolicy": {
                        "MinimumLength": 12,
                        "RequireLowercase": True,
                        "RequireUppercase": True,
                        "RequireNumbers": True,
                        "RequireSymbols": True,
                    }
                },
                "MfaConfiguration": "OPTIONAL",
                "EnabledMfas": ["SOFTWARE_TOKEN_MFA"],
                "UserPoolAddOns": {"AdvancedSecurityMode": "ENFORCED"},
            },
        },
        "ThaiDClientSecretValue": {
            "Type": "AWS::SecretsManager::Secret",
            "Properties": {
                "Name": resource_name(stage, "thaid-client-secret"),
                "Description": "ThaiD OIDC client secret (read by Cognito through a dynamic reference)",
                "SecretString": {"Ref": "ThaiDClientSecret"},
                "KmsKeyId": {"Ref": "DataKey"},
            },
        },
        "ThaiDProvider": {
            "Type": "AWS::Cognito::UserPoolIdentityProvider",
            "Properties": {
                "UserPoolId": {"Ref": "UserPool"},
                "ProviderName": "ThaiD",
                "ProviderType": "OIDC",
                "ProviderDetails": {
                    "client_id": {"Ref": "ThaiDClientId"},
                    "client_secret": {
                        "Fn::Sub": "{{resolve:secretsmanager:${ThaiDClientSecretValue}:SecretString}}"
                    },
                    "authorize_scopes": "openid pid name",
                    "oidc_issuer": {"Ref": "ThaiDIssuer"},
                    "attributes_request_method": "GET",
                },
                # ThaiD's subject is the citizen; the agency and role come from onboarding's mapping.
                "AttributeMapping": {"username": "sub", "name": "name"},
            },
        },
        "HostedDomain": {
            "Type": "AWS::Cognito::UserPoolDomain",
            "Properties": {"UserPoolId": {"Ref": "UserPool"}, "Domain": {"Ref": "HostedDomainPrefix"}},
        },
        "UserPoolClient": {
            "Type": "AWS::Cognito::UserPoolClient",
            "DependsOn": "ThaiDProvider",
            "Properties": {
                "UserPoolId": {"Ref": "UserPool"},
                "ClientName": resource_name(stage, "spa"),
                # A public client (a browser keeps no secret): the authorization code flow with PKCE.
                "GenerateSecret": False,
                "AllowedOAuthFlowsUserPoolClient": True,
                "AllowedOAuthFlows": ["code"],
                "AllowedOAuthScopes": ["openid", "email", "profile"],
                "CallbackURLs": {"Ref": "SpaCallbackUrls"},
                "LogoutURLs": {"Ref": "SpaLogoutUrls"},
                "SupportedIdentityProviders": ["ThaiD", "COGNITO"],
                "PreventUserExistenceErrors": "ENABLED",
                "EnableTokenRevocation": True,
                "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
                "IdTokenValidity": 60,
                "AccessTokenValidity": 60,
                "RefreshTokenValidity": 12,
                "TokenValidityUnits": {
                    "IdToken": "minutes",
                    "AccessToken": "minutes",
                    "RefreshToken": "hours",
                },
                "ReadAttributes": list(client_read_attributes()),
                "WriteAttributes": list(CLIENT_WRITE_ATTRIBUTES),
            },
        },
    }


def platform_exports(stage: str) -> dict[str, tuple[str, Any]]:
    """What the functions' stack imports from the platform stack: output name -> (export, value)."""
    found: dict[str, tuple[str, Any]] = {
        "OidcIssuer": (
            export_name(stage, "EOFFICE_OIDC_ISSUER"),
            {"Fn::Sub": "https://cognito-idp.${AWS::Region}.amazonaws.com/${UserPool}"},
        ),
        "OidcAudience": (export_name(stage, "EOFFICE_OIDC_AUDIENCE"), {"Ref": "UserPoolClient"}),
        "RecordsStreamArn": (stream_export(stage), {"Fn::GetAtt": ["RecordsTable", "StreamArn"]}),
        "StreamFailuresQueueArn": (
            resource_name(stage, "stream-failures-arn"),
            {"Fn::GetAtt": ["StreamFailuresQueue", "Arn"]},
        ),
        "UserPoolId": (resource_name(stage, "user-pool-id"), {"Ref": "UserPool"}),
        "HostedDomain": (
            resource_name(stage, "hosted-domain"),
            {"Fn::Sub": "${HostedDomainPrefix}.auth.${AWS::Region}.amazoncognito.com"},
        ),
    }
    for table in PLATFORM.tables:
        variable = f"EOFFICE_TABLE_{table.suffix.upper()}"
        found[f"{table.logical_id}Name"] = (export_name(stage, variable), {"Ref": table.logical_id})
    for queue in PLATFORM.queues:
        variable = f"EOFFICE_QUEUE_{queue.suffix.upper().replace('-', '_')}"
        found[f"{queue.logical_id}Name"] = (
            export_name(stage, variable),
            {"Fn::GetAtt": [queue.logical_id, "QueueName"]},
        )
    for bucket in PLATFORM.buckets:
        variable = f"EOFFICE_BUCKET_{bucket.suffix.upper()}"
        found[f"{bucket.logical_id}Name"] = (export_name(stage, variable), {"Ref": bucket.logical_id})
    return found


def export_name(stage: str, variable: str) -> str:
    """The export behind a function's environment variable (EOFFICE_TABLE_RECORDS -> eoffice-prod-...)."""
    return resource_name(stage, variable.removeprefix("EOFFICE_").lower().replace("_", "-"))


def imported_environment(stage: str) -> dict[str, Any]:
    """The functions' environment variables that come from the platform stack (Fn::ImportValue)."""
    variables = [
        "EOFFICE_OIDC_ISSUER",
        "EOFFICE_OIDC_AUDIENCE",
        *(f"EOFFICE_TABLE_{t.suffix.upper()}" for t in PLATFORM.tables),
        *(f"EOFFICE_QUEUE_{q.suffix.upper().replace('-', '_')}" for q in PLATFORM.queues),
        *(f"EOFFICE_BUCKET_{b.suffix.upper()}" for b in PLATFORM.buckets),
    ]
    found: dict[str, Any] = {v: {"Fn::ImportValue": export_name(stage, v)} for v in variables}
    found["EOFFICE_RECORDS_STREAM_ARN"] = {"Fn::ImportValue": stream_export(stage)}
    return found
