"""Many agencies at once: a batched, resumable loop over their settings files.

Every file is checked before the first agency is made (a broken file stops the batch with nothing
created). Then the agencies are onboarded a few at a time; an agency already onboarded is skipped, so a
batch that stopped (a lost connection, a throttled API) is finished by running it again with the same
files. Each agency is its own stack: CloudFormation StackSets deploy one template with the same
parameters across accounts or regions, while each agency's template differs (its signers), so a loop of
stacks is the fit; its concurrency is bounded to stay under CloudFormation's and Cognito's API quotas.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from onboarding.apply import OnboardingError, Target, onboard
from onboarding.settings import AgencySettings, SettingsError, load


@dataclass
class BulkReport:
    onboarded: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # already onboarded (a resumed batch)
    failed: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0


def onboard_many(
    paths: list[Path],
    target: Target,
    *,
    concurrency: int = 4,
    on_each: Callable[[str, str], None] = lambda agency, outcome: None,
) -> BulkReport:
    from chalicelib.directory import store

    checked: list[tuple[AgencySettings, Path]] = []
    problems = []
    for path in paths:
        try:
            checked.append((load(path), path.parent))
        except SettingsError as error:
            problems += [f"{error.path}: {p}" for p in error.problems]
    if problems:
        raise SettingsError(paths[0], problems)
    ids = [s.id for s, _ in checked]
    if len(set(ids)) != len(ids):
        raise SettingsError(paths[0], ["id: the same agency is in more than one file"])
    report = BulkReport()
    started = time.monotonic()

    def one(item: tuple[AgencySettings, Path]) -> None:
        settings, base = item
        if store.agency_item(settings.id) is not None:
            report.skipped.append(settings.id)
            on_each(settings.id, "skipped: already onboarded")
            return
        try:
            onboard(settings, base, target)
        except (OnboardingError, SettingsError) as error:
            report.failed[settings.id] = str(error)
            on_each(settings.id, f"failed: {error}")
            return
        report.onboarded.append(settings.id)
        on_each(settings.id, "onboarded")

    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        list(pool.map(one, checked))
    report.seconds = time.monotonic() - started
    return report
