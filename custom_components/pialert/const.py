"""Constants for the PiAlert integration."""

from __future__ import annotations

from typing import Final

DOMAIN: Final = "pialert"
HUB_TITLE: Final = "PiAlert"
