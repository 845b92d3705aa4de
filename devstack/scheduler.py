"""The local scheduler: runs the app's `@app.schedule` handlers on their rate, as EventBridge would.

It reads the schedules from the Chalice app itself, so a new scheduled job needs no change here.
Rates only (Cron expressions are reported and skipped locally). EOFFICE_SCHEDULE_SPEEDUP divides
every interval, to watch hourly jobs run in a demo.
"""

from __future__ import annotations

import logging
import os
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

log = logging.getLogger("devstack.scheduler")
_SECONDS = {"minute": 60, "minutes": 60, "hour": 3600, "hours": 3600, "day": 86400, "days": 86400}


@dataclass(frozen=True)
class Job:
    name: str
    interval_seconds: float
    handler: Callable[[dict[str, Any], Any], Any]


def interval_of(expression: Any) -> float | None:
    """Seconds between runs of a Chalice Rate (or 'rate(5 minutes)'); None for a cron expression."""
    text = expression.to_string() if hasattr(expression, "to_string") else str(expression)
    if not text.startswith("rate("):
        return None
    value, unit = text.removeprefix("rate(").removesuffix(")").split()
    return int(value) * _SECONDS[unit.lower()]


def jobs_of(app: Any, module: Any) -> list[Job]:
    from chalice.app import ScheduledEventConfig

    jobs = []
    for source in app.event_sources:
        if not isinstance(source, ScheduledEventConfig):
            continue
        interval = interval_of(source.schedule_expression)
        if interval is None:
            log.warning("schedule %s uses a cron expression: not run locally", source.name)
            continue
        function_name = source.handler_string.rsplit(".", 1)[-1]
        jobs.append(Job(source.name, interval, getattr(module, function_name)))
    return jobs


def scheduled_event(region: str, name: str) -> dict[str, Any]:
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": "000000000000",
        "time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": region,
        "resources": [f"arn:aws:events:{region}:000000000000:rule/{name}"],
        "detail": {},
    }


class Scheduler:
    def __init__(self, jobs: list[Job], region: str) -> None:
        speedup = float(os.environ.get("EOFFICE_SCHEDULE_SPEEDUP", "1"))
        self._jobs = jobs
        self._region = region
        self._speedup = max(speedup, 1e-6)
        self._stop = threading.Event()

    def start(self) -> None:
        for job in self._jobs:
            threading.Thread(target=self._loop, args=(job,), name=f"schedule:{job.name}", daemon=True).start()

    def stop(self) -> None:
        self._stop.set()

    def run_now(self, job: Job) -> Any:
        from devstack.pump import LambdaContext

        return job.handler(scheduled_event(self._region, job.name), LambdaContext(function_name=job.name))

    def _loop(self, job: Job) -> None:
        while not self._stop.wait(job.interval_seconds / self._speedup):
            try:
                log.info("scheduled %s: %s", job.name, self.run_now(job))
            except Exception:
                log.exception("scheduled job %s failed", job.name)
