"""Settings from the environment (Chalice stage config in AWS, the local stack locally)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True)
class Settings:
    stage: str
    region: str
    records_table: str
    files_bucket: str
    mail_bucket: str
    archive_bucket: str
    uploads_queue: str
    sign_queue: str
    # Identity: the OIDC issuer (Cognito user pool) whose ID tokens the API accepts.
    oidc_issuer: str
    oidc_audience: str
    oidc_jwks_url: str
    # Files
    max_upload_bytes: int
    upload_url_seconds: int
    download_url_seconds: int
    # Archive: how long before the last document timestamp's TSA certificate ends a signed letter gets a
    # new one (archive/renewal.py). Two years by default: the job runs daily from that point, so a TSA
    # that is down, a certificate replaced early, or an agency that must first procure a TSA whose
    # certificate outlives the old one has two years of retries before the proof lapses (once the old
    # certificate has ended, the chain can no longer be extended).
    timestamp_renewal_days: int
    # Signer keys (signing_keys/): from a key's disabling (the role ended) to scheduling its deletion,
    # and KMS's own waiting window then (7 to 30 days). Signed documents never need the key again
    # (verification uses the certificate in them): the grace period only leaves a mistaken role change
    # undoable by an operator (kms enable-key) before anything is irreversible.
    signing_key_grace_days: int
    signing_key_deletion_window_days: int
    # Where the API is served (locally), used in problem `instance` links
    endpoint_url: str | None


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


@cache
def get_settings() -> Settings:
    env = os.environ
    region = env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or "ap-southeast-7"
    issuer = env.get("EOFFICE_OIDC_ISSUER", "")
    return Settings(
        stage=env.get("EOFFICE_STAGE", "local"),
        region=region,
        records_table=env.get("EOFFICE_TABLE_RECORDS", "eoffice-local-records"),
        files_bucket=env.get("EOFFICE_BUCKET_FILES", "eoffice-local-files"),
        mail_bucket=env.get("EOFFICE_BUCKET_MAIL", "eoffice-local-mail"),
        archive_bucket=env.get("EOFFICE_BUCKET_ARCHIVE", "eoffice-local-archive"),
        uploads_queue=env.get("EOFFICE_QUEUE_UPLOADS", "eoffice-local-uploads"),
        sign_queue=env.get("EOFFICE_QUEUE_SIGN", "eoffice-local-sign"),
        oidc_issuer=issuer,
        oidc_audience=env.get("EOFFICE_OIDC_AUDIENCE", ""),
        # In AWS the JWKS sits under the issuer; locally the embedded backend serves it elsewhere.
        oidc_jwks_url=env.get("EOFFICE_OIDC_JWKS_URL", f"{issuer}/.well-known/jwks.json"),
        max_upload_bytes=_int("EOFFICE_MAX_UPLOAD_BYTES", 20 * 1024 * 1024),
        upload_url_seconds=_int("EOFFICE_UPLOAD_URL_SECONDS", 300),
        download_url_seconds=_int("EOFFICE_DOWNLOAD_URL_SECONDS", 120),
        timestamp_renewal_days=_int("EOFFICE_TIMESTAMP_RENEWAL_DAYS", 730),
        signing_key_grace_days=_int("EOFFICE_SIGNING_KEY_GRACE_DAYS", 30),
        signing_key_deletion_window_days=_int("EOFFICE_SIGNING_KEY_DELETION_WINDOW_DAYS", 30),
        endpoint_url=env.get("AWS_ENDPOINT_URL"),
    )
