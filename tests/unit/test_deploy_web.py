"""Publishing the web application (infra/deploy_web.py) against moto's S3 and CloudFront: the build with
its caching, the config from the stacks' outputs, the old build's leftovers removed, one invalidation."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws

from infra.deploy_web import IMMUTABLE, REVALIDATE, Target, publish, target_from_outputs

PLATFORM = {
    "WebBucketName": "eoffice-prod-web",
    "WebDistributionId": "",
    "OidcIssuer": "https://cognito-idp.ap-southeast-7.amazonaws.com/ap-southeast-7_abc",
    "OidcAudience": "client123",
}
FUNCTIONS = {"WebsocketConnectEndpointURL": "wss://ws.example.execute-api.ap-southeast-7.amazonaws.com/api/"}


@pytest.fixture
def aws() -> Iterator[tuple[Any, Any, str]]:
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket=PLATFORM["WebBucketName"])
        cloudfront = boto3.client("cloudfront", region_name="us-east-1")
        made = cloudfront.create_distribution(
            DistributionConfig={
                "CallerReference": "web",
                "Comment": "",
                "Enabled": True,
                "Origins": {
                    "Quantity": 1,
                    "Items": [
                        {
                            "Id": "web",
                            "DomainName": "eoffice-prod-web.s3.amazonaws.com",
                            "S3OriginConfig": {"OriginAccessIdentity": ""},
                        }
                    ],
                },
                "DefaultCacheBehavior": {
                    "TargetOriginId": "web",
                    "ViewerProtocolPolicy": "redirect-to-https",
                    "MinTTL": 0,
                },
            }
        )
        yield s3, cloudfront, made["Distribution"]["Id"]


def build(tmp_path: Path) -> Path:
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text("<!doctype html><title>สารบรรณ</title>", encoding="utf-8")
    (dist / "assets" / "index-Ab12.js").write_text("console.log(1)", encoding="utf-8")
    (dist / "assets" / "sarabun-thai-400.woff2").write_bytes(b"wOF2")
    (dist / "config.json").write_text('{"mode": "local"}', encoding="utf-8")  # a local leftover
    return dist


def test_the_build_and_its_config_are_published_and_the_old_build_removed(
    tmp_path: Path, aws: tuple[Any, Any, str]
) -> None:
    s3, cloudfront, distribution = aws
    s3.put_object(Bucket=PLATFORM["WebBucketName"], Key="assets/index-Old9.js", Body=b"old")
    target = target_from_outputs({**PLATFORM, "WebDistributionId": distribution}, FUNCTIONS)
    done = publish(build(tmp_path), target, s3, cloudfront)

    keys = {o["Key"] for o in s3.list_objects_v2(Bucket=PLATFORM["WebBucketName"])["Contents"]}
    assert keys == {"index.html", "config.json", "assets/index-Ab12.js", "assets/sarabun-thai-400.woff2"}
    asset = s3.head_object(Bucket=PLATFORM["WebBucketName"], Key="assets/index-Ab12.js")
    assert asset["CacheControl"] == IMMUTABLE and asset["ContentType"].startswith("text/javascript")
    page = s3.head_object(Bucket=PLATFORM["WebBucketName"], Key="index.html")
    assert page["CacheControl"] == REVALIDATE and page["ContentType"] == "text/html; charset=utf-8"
    config = json.loads(s3.get_object(Bucket=PLATFORM["WebBucketName"], Key="config.json")["Body"].read())
    assert config == {
        "mode": "cognito",
        "authority": PLATFORM["OidcIssuer"],
        "client_id": "client123",
        "push": FUNCTIONS["WebsocketConnectEndpointURL"],
    }
    # index.html is put after the assets it names; the old build's file is gone.
    puts = [line for line in done if line.startswith("put ")]
    assert puts.index("put index.html (no-cache)") > puts.index(f"put assets/index-Ab12.js ({IMMUTABLE})")
    assert "delete assets/index-Old9.js" in done
    invalidations = cloudfront.list_invalidations(DistributionId=distribution)["InvalidationList"]
    assert invalidations["Quantity"] == 1


def test_a_dry_run_writes_nothing(tmp_path: Path, aws: tuple[Any, Any, str]) -> None:
    s3, cloudfront, distribution = aws
    done = publish(
        build(tmp_path), Target(PLATFORM["WebBucketName"], distribution, {}), s3, cloudfront, dry_run=True
    )
    assert "put index.html (no-cache)" in done
    assert "Contents" not in s3.list_objects_v2(Bucket=PLATFORM["WebBucketName"])


def test_missing_outputs_and_a_missing_build_are_refused_with_the_step_to_take(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match="WebBucketName"):
        target_from_outputs({}, FUNCTIONS)
    with pytest.raises(SystemExit, match="WebsocketConnectEndpointURL"):
        target_from_outputs(PLATFORM, {})
    with pytest.raises(SystemExit, match="npm run build"):
        publish(tmp_path, Target("b", "d", {}), None, None)
