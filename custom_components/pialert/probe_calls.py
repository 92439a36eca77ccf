"""How each polled kind of target is checked, with Home Assistant's resources."""

from __future__ import annotations

from collections.abc import Iterable

from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession

from .engine.models import Target
from .engine.probes import dns, http, tcp
from .engine.schedule import ProbeCall
from .engine.settings import DnsSettings, HttpSettings, PingSettings, TcpSettings
from .ping_privilege import PingPrivilege


def polled_probe_call(
    hass: HomeAssistant, ping_privilege: PingPrivilege, target: Target
) -> ProbeCall:
    """Return the probe that checks ``target`` once."""
    match settings := target.settings:
        case HttpSettings():
            # Home Assistant's shared session: its connection pool and limits.
            session = async_get_clientsession(hass, verify_ssl=settings.verify_ssl)
            return lambda: http.probe(settings, session, target.timeout)
        case TcpSettings():
            return lambda: tcp.probe(settings)
        case PingSettings():
            return ping_privilege.probe_call(settings)
        case DnsSettings():
            return lambda: dns.probe(settings, target.timeout)
    raise ValueError(f"{target.kind} is not polled")  # pragma: no cover


class ProbeCalls:
    """The probe call of each polled target, made once per target version.

    A target (frozen) is replaced when its settings change; until then every
    check reuses the same call instead of matching its settings and looking
    up the shared session again.
    """

    def __init__(self, hass: HomeAssistant, ping_privilege: PingPrivilege) -> None:
        """Make calls with Home Assistant's resources."""
        self._hass = hass
        self._ping_privilege = ping_privilege
        self._calls: dict[str, tuple[Target, ProbeCall]] = {}

    def __call__(self, target: Target) -> ProbeCall:
        """Return the probe that checks ``target`` once."""
        known = self._calls.get(target.id)
        if known is not None and known[0] is target:
            return known[1]
        call = polled_probe_call(self._hass, self._ping_privilege, target)
        if not isinstance(target.settings, PingSettings):
            # A ping call depends on the privilege, decided when one is added.
            self._calls[target.id] = (target, call)
        return call

    def keep_only(self, targets: Iterable[Target]) -> None:
        """Drop the calls of targets no longer configured."""
        for target_id in self._calls.keys() - {t.id for t in targets}:
            del self._calls[target_id]
