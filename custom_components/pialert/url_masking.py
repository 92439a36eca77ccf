"""Passwords in user-given URLs never leave PiAlert: not in answers, not in logs."""

from __future__ import annotations

from typing import Final

from yarl import URL

MASK: Final = "***"


def mask_password(url: str) -> str:
    """Return ``url`` with the password of its user info replaced by ``***``."""
    try:
        parsed = URL(url)
        if parsed.password is None:
            return url
        return str(parsed.with_password(MASK))
    except ValueError:
        return url


def public_channel(channel: str) -> str:
    """Return a delivery channel without the password of an Alertmanager URL."""
    kind, _, address = channel.partition(":")
    return f"{kind}:{mask_password(address)}" if kind == "alertmanager" else channel
