"""Probes: one module per polled kind, each turning settings into an outcome.

A probe never raises for a failed check: it returns a failed ``ProbeOutcome``
with a short, human-readable error. The scheduler bounds each call with the
target's timeout and turns anything unexpected into a failure too.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ProbeOutcome:
    """What one probe call found."""

    success: bool
    error: str | None = None
    response_time_ms: float | None = None
    cert_days_remaining: int | None = None


def failed(error: str, response_time_ms: float | None = None) -> ProbeOutcome:
    """Return a failed outcome with ``error``."""
    return ProbeOutcome(success=False, error=error, response_time_ms=response_time_ms)
