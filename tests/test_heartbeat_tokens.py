"""Heartbeat targets found by their ping token (heartbeat_tokens.py)."""

from __future__ import annotations

from dataclasses import replace

from custom_components.pialert.engine.models import Target, TargetKind
from custom_components.pialert.engine.settings import HeartbeatSettings, TcpSettings
from custom_components.pialert.heartbeat_tokens import HeartbeatTokens


def heartbeat(target_id: str, token: str, *, enabled: bool = True) -> Target:
    return Target(
        id=target_id,
        name=target_id.title(),
        kind=TargetKind.HEARTBEAT,
        settings=HeartbeatSettings(period=60, grace=10, token=token),
        enabled=enabled,
    )


def test_tokens_find_their_targets_paused_or_not() -> None:
    """Every heartbeat target is found by its token; other kinds have none."""
    backup = heartbeat("backup", "token-backup")
    paused = heartbeat("cron", "token-cron", enabled=False)
    tcp = Target(
        id="db", name="DB", kind=TargetKind.TCP, settings=TcpSettings("db", 5432)
    )
    tokens = HeartbeatTokens()
    tokens.sync([backup, paused, tcp])

    assert tokens.target("token-backup") is backup
    assert tokens.target("token-cron") is paused
    assert tokens.target("db") is None
    assert tokens.tokens() == {"token-backup", "token-cron"}


def test_sync_forgets_removed_and_replaced_tokens() -> None:
    """A new token replaces the old one; a removed target's token is unknown."""
    backup = heartbeat("backup", "old")
    tokens = HeartbeatTokens()
    tokens.sync([backup, heartbeat("cron", "cron-token")])

    renewed = replace(backup, settings=HeartbeatSettings(60, 10, "new"))
    tokens.sync([renewed])

    assert tokens.target("old") is None
    assert tokens.target("cron-token") is None
    assert tokens.target("new") is renewed
