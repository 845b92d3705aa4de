"""Create the platform's resources on the embedded backend from the one definition in infra/."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from infra.resources import (
    CLIENT_WRITE_ATTRIBUTES,
    PLATFORM,
    client_read_attributes,
    dlq_name,
    resource_name,
    table_schema,
)

STAGE = "local"


@dataclass(frozen=True)
class LocalResources:
    records_stream_arn: str
    user_pool_id: str
    user_pool_client_id: str
    queue_urls: dict[str, str]
    dlq_urls: dict[str, str]


MAIL_DOMAIN = "eoffice.demo.go.th"
# The files bucket's CORS rule: the web application on the local stack (any port of 127.0.0.1 or
# localhost) posts uploads to it; nothing else crosses origins.
FILES_CORS_RULE = {
    "AllowedOrigins": ["http://127.0.0.1:*", "http://localhost:*"],
    "AllowedMethods": ["POST"],
    "AllowedHeaders": ["*"],
    "MaxAgeSeconds": 3000,
}


def create_all(session: Any) -> LocalResources:
    ddb = session.client("dynamodb")
    stream_arn = ""
    for table in PLATFORM.tables:
        params: dict[str, Any] = {"TableName": resource_name(STAGE, table.suffix), **table_schema(table)}
        if table.stream:
            params["StreamSpecification"] = {"StreamEnabled": True, "StreamViewType": table.stream}
        description = ddb.create_table(**params)["TableDescription"]
        if table.ttl_attribute:
            ddb.update_time_to_live(
                TableName=params["TableName"],
                TimeToLiveSpecification={"AttributeName": table.ttl_attribute, "Enabled": True},
            )
        if table.suffix == "records":
            stream_arn = description.get("LatestStreamArn", "")

    sqs = session.client("sqs")
    queue_urls: dict[str, str] = {}
    dlq_urls: dict[str, str] = {}
    for queue in PLATFORM.queues:
        dlq_url = sqs.create_queue(QueueName=dlq_name(STAGE, queue))["QueueUrl"]
        dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"][
            "QueueArn"
        ]
        url = sqs.create_queue(
            QueueName=resource_name(STAGE, queue.suffix),
            Attributes={
                "VisibilityTimeout": str(queue.visibility_timeout),
                "RedrivePolicy": json.dumps(
                    {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": queue.max_receive_count}
                ),
            },
        )["QueueUrl"]
        queue_urls[queue.suffix] = url
        dlq_urls[queue.suffix] = dlq_url

    # Notification e-mail comes from the demo domain, verified as SES requires (notifications/mail.py).
    session.client("sesv2").create_email_identity(EmailIdentity=MAIL_DOMAIN)

    s3 = session.client("s3")
    for bucket in PLATFORM.buckets:
        name = resource_name(STAGE, bucket.suffix)
        s3.create_bucket(
            Bucket=name,
            CreateBucketConfiguration={"LocationConstraint": session.region_name},
            ObjectLockEnabledForBucket=bucket.object_lock,
        )
        if bucket.versioned:
            s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
        if bucket.suffix == "files":
            # The web application uploads straight to the bucket (a presigned POST from the browser, with
            # progress: a CORS preflight first); S3 answers it from this configuration.
            s3.put_bucket_cors(Bucket=name, CORSConfiguration={"CORSRules": [FILES_CORS_RULE]})
        if bucket.notify_queue:
            queue_arn = sqs.get_queue_attributes(
                QueueUrl=queue_urls[bucket.notify_queue], AttributeNames=["QueueArn"]
            )["Attributes"]["QueueArn"]
            s3.put_bucket_notification_configuration(
                Bucket=name,
                NotificationConfiguration={
                    "QueueConfigurations": [{"QueueArn": queue_arn, "Events": ["s3:ObjectCreated:*"]}]
                },
            )

    cognito = session.client("cognito-idp")
    pool = cognito.create_user_pool(
        PoolName=resource_name(STAGE, "users"),
        Schema=[
            {"Name": attr, "AttributeDataType": "String", "Mutable": False}
            for attr in PLATFORM.user_pool_attributes
        ],
        AdminCreateUserConfig={"AllowAdminCreateUserOnly": True},
    )["UserPool"]
    client = cognito.create_user_pool_client(
        UserPoolId=pool["Id"],
        ClientName=resource_name(STAGE, "spa"),
        ExplicitAuthFlows=["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        ReadAttributes=list(client_read_attributes()),
        WriteAttributes=list(CLIENT_WRITE_ATTRIBUTES),  # as the production template: not the agency
    )["UserPoolClient"]
    return LocalResources(stream_arn, pool["Id"], client["ClientId"], queue_urls, dlq_urls)
