"""Every kind's settings type, as one union."""

from __future__ import annotations

from .group_settings import EntityGroupSettings, IntegrationHealthSettings
from .settings import (
    DnsSettings,
    EntitySettings,
    HeartbeatSettings,
    HttpSettings,
    PingSettings,
    TcpSettings,
)

type AnySettings = (
    HttpSettings
    | TcpSettings
    | PingSettings
    | DnsSettings
    | HeartbeatSettings
    | EntitySettings
    | EntityGroupSettings
    | IntegrationHealthSettings
)
