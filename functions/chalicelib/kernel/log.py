"""Structured logs (Powertools Logger, JSON with a correlation id) and EMF metrics.

Request state is cleared at the start of every request and every event: keys such as the agency
and the user must never carry over from the previous caller of a warm container. The keys are kept
per thread (Powertools' thread-safe keys): Lambda runs one request at a time, the local stack serves
requests on many threads, and each log line must name its own caller in both.
"""

from __future__ import annotations

import os

from aws_lambda_powertools import Logger

# The byte budget per request (docs/capacity.md, "Logs and storage"): INFO lines carry ids, outcomes and
# timings, never a request or response body; DEBUG lines are written for a sample of requests only
# (EOFFICE_LOG_DEBUG_SAMPLE_RATE, 1 % by default), decided afresh for each request in `start`.
DEBUG_SAMPLE_RATE = float(os.environ.get("EOFFICE_LOG_DEBUG_SAMPLE_RATE", "0.01"))
# What one typical API request may log (tests/unit/kernel/test_log_budget.py measures it).
LOG_BYTES_PER_REQUEST = 1024

logger = Logger(service="eoffice", sampling_rate=DEBUG_SAMPLE_RATE)


def start(correlation_id: str | None = None) -> None:
    """Forget everything the previous request or event appended; set the new correlation id."""
    logger.thread_safe_clear_keys()
    logger.refresh_sample_rate_calculation()  # per request, not once per warm container
    if correlation_id:
        logger.thread_safe_append_keys(correlation_id=correlation_id)


def identify(agency_id: str, user_id: str) -> None:
    """The caller, once authenticated: every later line of the request names them."""
    logger.thread_safe_append_keys(agency_id=agency_id, user_id=user_id)


def count(name: str, **dimensions: str) -> None:
    """One EMF metric data point (written to stdout: no API call)."""
    from aws_lambda_powertools.metrics import MetricUnit, single_metric

    with single_metric(name=name, unit=MetricUnit.Count, value=1, namespace="eOffice") as metric:
        for key, value in dimensions.items():
            metric.add_dimension(name=key, value=value)
