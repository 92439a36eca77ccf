"""The response-time limit: a polled check slower than it fails."""

from __future__ import annotations

from dataclasses import replace
import math

from .models import POLLED_KINDS, CheckResult, Target


def within_limit(result: CheckResult, target: Target) -> CheckResult:
    """Return ``result``, failed as "slow: 2,340 ms > 1,000 ms" when over the limit."""
    limit = target.response_time_limit_ms
    elapsed = result.response_time_ms
    if (
        limit is None
        or not result.success
        or elapsed is None
        or elapsed <= limit
        or target.kind not in POLLED_KINDS
    ):
        return result
    return replace(
        result, success=False, error=f"slow: {math.ceil(elapsed):,} ms > {limit:,} ms"
    )
