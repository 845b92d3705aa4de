"""Publish the built web application (web/dist) to the platform stack's web bucket.

    python -m infra.deploy_web --platform-stack eoffice-prod --functions-stack eoffice-prod-functions

Reads what it needs from the two stacks' outputs (the bucket, the CloudFront distribution, the user pool's
issuer and the SPA's client, the WebSocket API), writes the SPA's `config.json` (sign in with the
Cognito hosted UI and ThaiD; push from the WebSocket API), uploads every file with its type and how long a
browser and CloudFront may keep it, removes what the new build no longer has, and invalidates the two
names that change in place (`/index.html`, `/config.json`). The hashed assets never change, so they are
kept for a year and never invalidated. `--dry-run` prints the plan and the config without writing.

Why boto3 and not `aws s3 sync`: the sync cannot set Cache-Control per file in one pass, nor write the
config from the stacks' outputs; this is the one step the README asked to be typed by hand.
"""

from __future__ import annotations

import argparse
import json
import mimetypes
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DIST = Path(__file__).resolve().parent.parent / "web" / "dist"
IMMUTABLE = "public, max-age=31536000, immutable"  # Vite names assets by their content's hash
REVALIDATE = "no-cache"  # index.html and config.json: always asked again (304 when unchanged)
CHANGING = ("index.html", "config.json")


@dataclass(frozen=True)
class Target:
    bucket: str
    distribution_id: str
    config: dict[str, str]


def target_from_outputs(platform: dict[str, str], functions: dict[str, str]) -> Target:
    """The web bucket, its distribution and the SPA's config, from the stacks' outputs."""
    missing = [
        name
        for name in ("WebBucketName", "WebDistributionId", "OidcIssuer", "OidcAudience")
        if name not in platform
    ]
    if missing:
        raise SystemExit(f"the platform stack has no output {', '.join(missing)}: deploy it first (README)")
    push = functions.get("WebsocketConnectEndpointURL", "")
    if not push:
        raise SystemExit("the functions stack has no WebsocketConnectEndpointURL output: deploy it first")
    return Target(
        bucket=platform["WebBucketName"],
        distribution_id=platform["WebDistributionId"],
        config={
            "mode": "cognito",
            "authority": platform["OidcIssuer"],
            "client_id": platform["OidcAudience"],
            "push": push,
        },
    )


def stack_outputs(cloudformation: Any, stack: str) -> dict[str, str]:
    described = cloudformation.describe_stacks(StackName=stack)["Stacks"][0]
    return {o["OutputKey"]: o["OutputValue"] for o in described.get("Outputs", [])}


def files_of(dist: Path) -> Iterator[tuple[str, Path]]:
    for path in sorted(dist.rglob("*")):
        if path.is_file() and path.name != "config.json":  # the config is written from the stacks
            yield path.relative_to(dist).as_posix(), path


def cache_control(key: str) -> str:
    return REVALIDATE if key in CHANGING else IMMUTABLE


def content_type(key: str) -> str:
    guessed = mimetypes.guess_type(key)[0] or "application/octet-stream"
    return (
        f"{guessed}; charset=utf-8"
        if guessed.startswith("text/") or guessed.endswith("javascript")
        else guessed
    )


def publish(dist: Path, target: Target, s3: Any, cloudfront: Any, *, dry_run: bool = False) -> list[str]:
    """Upload the build, then the config, then remove the old; index.html goes last of the files, so a
    browser never loads a page whose assets are not there yet. What was done, one line each."""
    if not (dist / "index.html").is_file():
        raise SystemExit(
            f"{dist}/index.html is missing: build the web application first (cd web && npm run build)"
        )
    done: list[str] = []
    files = sorted(files_of(dist), key=lambda item: item[0] == "index.html")
    for key, path in files:
        done.append(f"put {key} ({cache_control(key)})")
        if not dry_run:
            s3.put_object(
                Bucket=target.bucket,
                Key=key,
                Body=path.read_bytes(),
                ContentType=content_type(key),
                CacheControl=cache_control(key),
            )
    config = json.dumps(target.config, ensure_ascii=False, indent=2).encode()
    done.append("put config.json (no-cache)")
    if not dry_run:
        s3.put_object(
            Bucket=target.bucket,
            Key="config.json",
            Body=config,
            ContentType="application/json; charset=utf-8",
            CacheControl=REVALIDATE,
        )
    keep = {key for key, _ in files} | {"config.json"}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=target.bucket):
        for stale in [o["Key"] for o in page.get("Contents", []) if o["Key"] not in keep]:
            done.append(f"delete {stale}")
            if not dry_run:
                s3.delete_object(Bucket=target.bucket, Key=stale)
    done.append("invalidate /index.html /config.json")
    if not dry_run:
        cloudfront.create_invalidation(
            DistributionId=target.distribution_id,
            InvalidationBatch={
                "Paths": {"Quantity": 2, "Items": ["/index.html", "/config.json"]},
                "CallerReference": f"eoffice-web-{time.time_ns()}",
            },
        )
    return done


def main(argv: list[str] | None = None) -> int:
    import boto3

    parser = argparse.ArgumentParser(prog="python -m infra.deploy_web", description=__doc__.split("\n")[0])
    parser.add_argument("--platform-stack", required=True, help="e.g. eoffice-prod")
    parser.add_argument("--functions-stack", required=True, help="e.g. eoffice-prod-functions")
    parser.add_argument("--dist", type=Path, default=DIST)
    parser.add_argument("--dry-run", action="store_true")
    given = parser.parse_args(argv)
    cloudformation = boto3.client("cloudformation")
    target = target_from_outputs(
        stack_outputs(cloudformation, given.platform_stack),
        stack_outputs(cloudformation, given.functions_stack),
    )
    done = publish(given.dist, target, boto3.client("s3"), boto3.client("cloudfront"), dry_run=given.dry_run)
    print(json.dumps(target.config, ensure_ascii=False, indent=2))
    print("\n".join(done))
    return 0


if __name__ == "__main__":
    sys.exit(main())
