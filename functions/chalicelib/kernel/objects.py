"""Files in S3: short-lived presigned uploads and downloads scoped to one object, and reads for checks.

Clients come from kernel/aws.py (botocore directly: boto3 with s3transfer costs ~200 ms at cold start).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from chalicelib.kernel.aws import client
from chalicelib.kernel.settings import get_settings


def s3() -> Any:
    return client("s3")


def presigned_upload(key: str, *, content_type: str, max_bytes: int, expires: int) -> dict[str, Any]:
    """A presigned POST that accepts exactly this key, this content type and at most `max_bytes`."""
    bucket = get_settings().files_bucket
    return dict(
        s3().generate_presigned_post(
            Bucket=bucket,
            Key=key,
            Fields={"Content-Type": content_type},
            Conditions=[
                {"Content-Type": content_type},
                ["content-length-range", 1, max_bytes],
            ],
            ExpiresIn=expires,
        )
    )


def presigned_download(key: str, *, filename: str, expires: int, version_id: str | None = None) -> str:
    """A GET URL for one object; with `version_id`, for exactly the version that was checked."""
    disposition = f"attachment; filename*=UTF-8''{_rfc5987(filename)}"
    params = {"Bucket": get_settings().files_bucket, "Key": key, "ResponseContentDisposition": disposition}
    if version_id:
        params["VersionId"] = version_id
    return str(s3().generate_presigned_url("get_object", Params=params, ExpiresIn=expires))


def _rfc5987(value: str) -> str:
    from urllib.parse import quote

    return quote(value, safe="")


def head(key: str) -> dict[str, Any] | None:
    try:
        return dict(s3().head_object(Bucket=get_settings().files_bucket, Key=key))
    except s3().exceptions.ClientError as error:
        if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
            return None
        raise


def read(key: str, *, version_id: str | None = None, bucket: str | None = None) -> bytes:
    """An object of the files bucket (or of `bucket`: the mail bucket, for incoming mail)."""
    params: dict[str, Any] = {"Bucket": bucket or get_settings().files_bucket, "Key": key}
    if version_id:
        params["VersionId"] = version_id
    body = s3().get_object(**params)["Body"]
    try:
        return bytes(body.read())
    finally:
        body.close()


def write(key: str, data: bytes, *, content_type: str, sha256_b64: str | None = None) -> bool:
    """Store an object only if the key is new; False when it was already there (a retried job)."""
    params: dict[str, Any] = {
        "Bucket": get_settings().files_bucket,
        "Key": key,
        "Body": data,
        "ContentType": content_type,
        "IfNoneMatch": "*",
    }
    if sha256_b64:
        params["ChecksumSHA256"] = sha256_b64
    try:
        s3().put_object(**params)
    except s3().exceptions.ClientError as error:
        if error.response.get("Error", {}).get("Code") == "PreconditionFailed":
            return False
        raise
    return True


def purge_other_versions(key: str, *, keep: str) -> int:
    """Delete every version of `key` but `keep`; how many went."""
    bucket = get_settings().files_bucket
    listing = s3().list_object_versions(Bucket=bucket, Prefix=key)
    doomed = [
        v["VersionId"]
        for v in listing.get("Versions", []) + listing.get("DeleteMarkers", [])
        if v["Key"] == key and v["VersionId"] != keep
    ]
    for version in doomed:
        s3().delete_object(Bucket=bucket, Key=key, VersionId=version)
    return len(doomed)


def purge(key: str) -> None:
    """Remove every version of an object (the bucket is versioned: a plain delete keeps the bytes)."""
    bucket = get_settings().files_bucket
    listing = s3().list_object_versions(Bucket=bucket, Prefix=key)
    for version in listing.get("Versions", []) + listing.get("DeleteMarkers", []):
        if version["Key"] == key:
            s3().delete_object(Bucket=bucket, Key=key, VersionId=version["VersionId"])


def created_objects(message_body: str) -> list[tuple[str, str | None]]:
    """(key, version) of the objects an S3 notification (delivered through SQS) names; keys arrive
    URL-encoded."""
    import json
    from urllib.parse import unquote_plus

    notification = json.loads(message_body)
    if notification.get("Event") == "s3:TestEvent":
        return []
    return [
        (unquote_plus(record["s3"]["object"]["key"]), record["s3"]["object"].get("versionId"))
        for record in notification.get("Records", [])
        if str(record.get("eventName", "")).startswith("ObjectCreated")
    ]


# -- the write-once archive (S3 Object Lock; docs/rules.md, "Archive") ----------------------------------
def archive_put(key: str, data: bytes, *, retain_until: datetime, legal_hold: bool = False) -> str:
    """Write a record's file to the archive bucket, locked as it lands: in compliance mode until
    `retain_until` (nobody, the root account included, can delete or overwrite that version before,
    nor shorten its lock), and under a legal hold as well when asked. The put carries the checksum S3
    requires with a lock. Returns the archived version's id."""
    lock: dict[str, Any] = {"ObjectLockMode": "COMPLIANCE", "ObjectLockRetainUntilDate": retain_until}
    if legal_hold:
        lock["ObjectLockLegalHoldStatus"] = "ON"
    answer = s3().put_object(
        Bucket=get_settings().archive_bucket, Key=key, Body=data, ChecksumAlgorithm="SHA256", **lock
    )
    return str(answer.get("VersionId", ""))


def archive_legal_hold(key: str, version_id: str, *, on: bool) -> None:
    """Place or lift a legal hold on an archived version: while on, nothing deletes it."""
    s3().put_object_legal_hold(
        Bucket=get_settings().archive_bucket,
        Key=key,
        VersionId=version_id,
        LegalHold={"Status": "ON" if on else "OFF"},
    )


def archive_lock(key: str, version_id: str) -> dict[str, Any]:
    """An archived version's lock as S3 keeps it (its mode, retain-until date and legal hold)."""
    found = s3().head_object(Bucket=get_settings().archive_bucket, Key=key, VersionId=version_id)
    return {
        "Mode": found.get("ObjectLockMode"),
        "RetainUntilDate": found.get("ObjectLockRetainUntilDate"),
        "LegalHold": found.get("ObjectLockLegalHoldStatus", "OFF"),
    }


def archive_first_version(key: str) -> bytes:
    """The first version written under a key of the archive: locked, it is the one that counts; any
    later put under the same key only adds a version above it."""
    bucket = get_settings().archive_bucket
    # S3 lists a key's versions newest first; timestamps can tie, the order cannot.
    listed = s3().list_object_versions(Bucket=bucket, Prefix=key).get("Versions", [])
    first = [v for v in listed if v["Key"] == key][-1]
    return read(key, version_id=str(first["VersionId"]), bucket=bucket)


def archive_extend(key: str, version_id: str, *, retain_until: datetime) -> None:
    """Lengthen an archived version's compliance lock (S3 lets a compliance lock grow, never shrink)."""
    s3().put_object_retention(
        Bucket=get_settings().archive_bucket,
        Key=key,
        VersionId=version_id,
        Retention={"Mode": "COMPLIANCE", "RetainUntilDate": retain_until},
    )


def archive_versions(prefix: str) -> list[tuple[str, str]]:
    """(key, version) of every version under a folder of the archive (not delete markers)."""
    found: list[tuple[str, str]] = []
    pages = (
        s3()
        .get_paginator("list_object_versions")
        .paginate(Bucket=get_settings().archive_bucket, Prefix=prefix)
    )
    for page in pages:
        found.extend((v["Key"], v["VersionId"]) for v in page.get("Versions", []))
    return found


def destroy_prefix(prefix: str, *, archive: bool, digests: bool = False) -> list[dict[str, Any]]:
    """Remove every version (and delete marker) under `prefix` in the files or the archive bucket, so
    the bytes are gone, not hidden behind a marker; what went, as {"bucket", "key", "version"} and, with
    `digests`, the SHA-256 of each version's bytes, read just before it goes. A locked version is refused
    by S3 itself: the error propagates, and running again removes what is left."""
    import hashlib

    if not prefix.endswith("/"):
        raise ValueError("a prefix to destroy ends with /: one record's folder, never a sibling's")
    settings = get_settings()
    bucket = settings.archive_bucket if archive else settings.files_bucket
    removed: list[dict[str, Any]] = []
    for page in s3().get_paginator("list_object_versions").paginate(Bucket=bucket, Prefix=prefix):
        for version in page.get("Versions", []) + page.get("DeleteMarkers", []):
            entry: dict[str, Any] = {"bucket": bucket, "key": version["Key"], "version": version["VersionId"]}
            if digests and "ETag" in version:  # a delete marker has no bytes
                body = s3().get_object(Bucket=bucket, Key=version["Key"], VersionId=version["VersionId"])[
                    "Body"
                ]
                entry["sha256"] = hashlib.sha256(body.read()).hexdigest()
            s3().delete_object(Bucket=bucket, Key=version["Key"], VersionId=version["VersionId"])
            removed.append(entry)
    return removed
