"""Whether Home Assistant may send ICMP echo requests, decided once."""

from __future__ import annotations

from collections.abc import Iterable

from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir

from .const import ISSUE_PING_NOT_PERMITTED
from .engine.models import Target, TargetKind
from .engine.probes import ProbeOutcome, ping
from .engine.schedule import ProbeCall
from .engine.settings import PingSettings
from .issues import async_clear_issue, async_raise_issue


class PingPrivilege:
    """Detects the ICMP privilege when the first ping target appears."""

    def __init__(self, hass: HomeAssistant) -> None:
        """Start undecided: detecting costs a socket, so only when needed."""
        self.hass = hass
        self.privileged: bool | None = None
        self._detected = False

    async def async_prepare(self, targets: Iterable[Target]) -> None:
        """Detect once, and raise or clear the repair issue."""
        if self._detected or not any(t.kind is TargetKind.PING for t in targets):
            return
        self._detected = True
        self.privileged = await ping.detect_privilege()
        if self.privileged is None:
            async_raise_issue(
                self.hass, ISSUE_PING_NOT_PERMITTED, ir.IssueSeverity.WARNING
            )
        else:
            async_clear_issue(self.hass, ISSUE_PING_NOT_PERMITTED)

    def probe_call(self, settings: PingSettings) -> ProbeCall:
        """Return the ping check, or one that explains ICMP is not permitted."""
        privileged = self.privileged
        if privileged is None:
            return _not_permitted
        return lambda: ping.probe(settings, privileged)


async def _not_permitted() -> ProbeOutcome:
    return ProbeOutcome(
        success=False, error="ICMP is not permitted for Home Assistant on this host"
    )
