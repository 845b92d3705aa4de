"""Structured logs (Powertools Logger, JSON with a correlation id) and EMF metrics.

Request state is cleared at the start of every request and every event: keys such as the agency
and the user must never carry over from the previous caller of a warm container. The keys are kept
per thread (Powertools' thread-safe keys): Lambda runs one request at a time, the local stack serves
requests on many threads, and each log line must name its own caller in both.
"""

from __future__ import annotations

from aws_lambda_powertools import Logger

logger = Logger(service="eoffice")


def start(correlation_id: str | None = None) -> None:
    """Forget everything the previous request or event appended; set the new correlation id."""
    logger.thread_safe_clear_keys()
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
