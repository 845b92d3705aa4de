"""The platform's AWS resources, defined once.

The same definition renders the CloudFormation template that `infra/` deploys
(`python -m infra.build`) and creates the resources on the local stack's embedded backend
(`devstack.resources`). Change a table, queue or bucket here and both follow.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

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
        # Where a stream batch goes when its retries are exhausted (the lifecycle handler's on-failure
        # destination): nothing from the stream is dropped silently.
        Queue("StreamFailuresQueue", "stream-failures", visibility_timeout=60),
    ),
    buckets=(Bucket("FilesBucket", "files", notify_queue="uploads"),),
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
            "SSESpecification": {"SSEEnabled": True},
            "DeletionProtectionEnabled": True,
        }
        if table.stream:
            props["StreamSpecification"] = {"StreamViewType": table.stream}
        if table.ttl_attribute:
            props["TimeToLiveSpecification"] = {"AttributeName": table.ttl_attribute, "Enabled": True}
        resources[table.logical_id] = {
            "Type": "AWS::DynamoDB::Table",
            "DeletionPolicy": "Retain",
            "Properties": props,
        }

    for queue in PLATFORM.queues:
        dlq_id = f"{queue.logical_id}DeadLetters"
        resources[dlq_id] = {
            "Type": "AWS::SQS::Queue",
            "Properties": {
                "QueueName": dlq_name(stage, queue),
                "MessageRetentionPeriod": 1209600,
                "SqsManagedSseEnabled": True,
            },
        }
        resources[queue.logical_id] = {
            "Type": "AWS::SQS::Queue",
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
                    {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}}
                ]
            },
            "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
        }
        if bucket.versioned:
            props["VersioningConfiguration"] = {"Status": "Enabled"}
        bucket_resource: dict[str, Any] = {
            "Type": "AWS::S3::Bucket",
            "DeletionPolicy": "Retain",
            "Properties": props,
        }
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

    resources |= identity_resources(stage)
    outputs = {
        name: {"Value": value, "Export": {"Name": export}}
        for name, (export, value) in platform_exports(stage).items()
    }
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": f"e-Office platform data resources and identity ({stage})",
        "Parameters": IDENTITY_PARAMETERS,
        "Resources": resources,
        "Outputs": outputs,
    }


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
