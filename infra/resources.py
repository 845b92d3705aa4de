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

    resources["UserPool"] = {
        "Type": "AWS::Cognito::UserPool",
        "Properties": {
            "UserPoolName": resource_name(stage, "users"),
            "Schema": [
                {"Name": attr, "AttributeDataType": "String", "Mutable": False}
                for attr in PLATFORM.user_pool_attributes
            ],
            "AdminCreateUserConfig": {"AllowAdminCreateUserOnly": True},
        },
    }
    resources["UserPoolClient"] = {
        "Type": "AWS::Cognito::UserPoolClient",
        "Properties": {
            "UserPoolId": {"Ref": "UserPool"},
            "ClientName": resource_name(stage, "spa"),
            "GenerateSecret": False,
            "ReadAttributes": list(client_read_attributes()),
            "WriteAttributes": list(CLIENT_WRITE_ATTRIBUTES),
        },
    }
    outputs = {
        "RecordsStreamArn": {
            "Value": {"Fn::GetAtt": ["RecordsTable", "StreamArn"]},
            "Export": {"Name": stream_export(stage)},
        },
        "StreamFailuresQueueArn": {
            "Value": {"Fn::GetAtt": ["StreamFailuresQueue", "Arn"]},
            "Export": {"Name": resource_name(stage, "stream-failures-arn")},
        },
        "UserPoolId": {"Value": {"Ref": "UserPool"}},
        "UserPoolClientId": {"Value": {"Ref": "UserPoolClient"}},
        "FilesBucketName": {"Value": {"Ref": "FilesBucket"}},
    }
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": f"e-Office platform data resources ({stage})",
        "Resources": resources,
        "Outputs": outputs,
    }
