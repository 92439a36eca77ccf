"""The prose of the check log operation."""

from __future__ import annotations

from ..engine.check_log import CHECK_LOG_SIZE
from .base import API_PREFIX
from .openapi_common import (
    READ_ERRORS,
    Json,
    error_refs,
    json_answer,
    operation,
    param_ref,
    query_param,
)
from .shapes import CheckPageBody


def date_range_params(what: str) -> list[Json]:
    """Return the start_date and end_date query parameters of ``what``."""
    return [
        query_param(
            "start_date",
            {"type": "string"},
            f"Only {what} from then: YYYY-MM-DD (start of that day) or ISO 8601;"
            " Home Assistant's time zone when no offset is given.",
        ),
        query_param(
            "end_date",
            {"type": "string"},
            f"Only {what} until then: YYYY-MM-DD (end of that day) or ISO 8601."
            " Not before start_date.",
        ),
    ]


def check_log_operations() -> dict[str, Json]:
    """Return {path: {method: operation}} of the check log."""
    return {
        f"{API_PREFIX}/targets/{{target_id}}/checks": {
            "get": operation(
                "listTargetChecks",
                "Check log",
                "targets",
                {
                    "200": json_answer(CheckPageBody, "Checks, newest first."),
                    **error_refs(*READ_ERRORS, "404"),
                },
                parameters=[
                    param_ref("TargetId"),
                    *date_range_params("checks"),
                    param_ref("Limit"),
                    param_ref("Offset"),
                ],
                description=f"The target's last {CHECK_LOG_SIZE} check results "
                "(older ones are not kept): time, success, response time and "
                "error. Daily uptime for a year is in the target's uptime.",
            )
        }
    }
