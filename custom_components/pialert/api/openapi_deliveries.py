"""The prose of the deliveries operation."""

from __future__ import annotations

from ..notify_log import MAX_RECORDS
from .base import API_PREFIX
from .deliveries import DeliveryListBody
from .openapi_common import (
    READ_ERRORS,
    Json,
    error_refs,
    json_answer,
    operation,
    param_ref,
    query_param,
)


def delivery_operations() -> dict[str, Json]:
    """Return {path: {method: operation}} of the deliveries."""
    return {
        f"{API_PREFIX}/deliveries": {
            "get": operation(
                "listDeliveries",
                "Notification deliveries",
                "notifications",
                {
                    "200": json_answer(DeliveryListBody, "Deliveries, newest first."),
                    **error_refs(*READ_ERRORS),
                },
                parameters=[
                    query_param(
                        "rule_id",
                        {"type": "string"},
                        "Only this notification rule's deliveries.",
                    ),
                    param_ref("Limit"),
                ],
                description=f"The last {MAX_RECORDS} messages of the notification "
                "rules, one per channel, with their outcome; webhook attempts "
                "(retried with backoff) are listed each time.",
            )
        }
    }
