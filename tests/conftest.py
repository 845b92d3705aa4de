"""Shared fixtures: an in-process AWS backend (moto) with the platform's resources, and principals."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from typing import Any

import pytest

os.environ.setdefault("AWS_ACCESS_KEY_ID", "test")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "test")
os.environ.setdefault("AWS_DEFAULT_REGION", "ap-southeast-7")
os.environ.setdefault("AWS_ACCOUNT_ID_ENDPOINT_MODE", "disabled")
os.environ.pop("AWS_ENDPOINT_URL", None)


@pytest.fixture(scope="module")
def aws() -> Iterator[Any]:
    """moto in-process with the resources from infra/ created; single-threaded use only."""
    import boto3
    from chalicelib.directory import service as directory
    from chalicelib.kernel import ddb
    from chalicelib.kernel.settings import get_settings
    from moto import mock_aws

    from devstack.backend import install_patches
    from devstack.resources import create_all

    install_patches()  # item-level rollback instead of copying the whole table per transaction
    with mock_aws():
        get_settings.cache_clear()
        session = boto3.Session(region_name="ap-southeast-7")
        create_all(session)
        ddb.bind()
        directory.forget_profiles()
        yield session
    directory.forget_profiles()


_agency_numbers = itertools.count(1)


@pytest.fixture
def new_agency(aws: Any) -> Any:
    """A factory for fresh agencies (with units) in the in-process backend."""
    from chalicelib.directory.store import new_agency, new_unit

    def make(settings: dict[str, Any] | None = None) -> str:
        agency_id = f"test-agency-{next(_agency_numbers)}"
        new_agency(agency_id, name="กรมทดสอบ", ministry_code="ทส", settings=settings or {}).save()
        new_unit(agency_id, "office", name="สำนักงานเลขานุการกรม", code="ทส 0101").save()
        new_unit(agency_id, "plan", name="กองแผนงาน", code="ทส 0101.2", parent="office").save()
        return agency_id

    return make


def principal(
    agency_id: str,
    *roles: str,
    user: str = "u-saraban",
    clearance: int = 1,
    units: tuple[str, ...] = ("office",),
) -> Any:
    from chalicelib.kernel.principal import Principal, Role
    from chalicelib.saraban import Secrecy

    return Principal(
        agency_id=agency_id,
        user_id=user,
        username=user,
        name="ผู้ทดสอบ",
        position="เจ้าพนักงานธุรการ",
        units=units,
        roles=frozenset(Role(r) for r in roles),
        clearance=Secrecy(clearance),
    )
