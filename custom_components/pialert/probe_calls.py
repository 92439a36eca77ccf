"""How each polled kind of target is checked, with Home Assistant's resources."""

from __future__ import annotations

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
