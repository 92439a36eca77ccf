"""The demo's Home Assistant process and its log."""

from __future__ import annotations

import time

from scripts.hass_process import DOMAIN, ROOT, HassProcess

from . import say
from .config import CONFIG_DIR, LOG_FILE

STOP_TIMEOUT = 30.0
START_BANNER = "===== scripts/demo: starting hass,"


class DemoHass(HassProcess):
    """hass -c .demo/config, logging to .demo/home-assistant.log."""

    def __init__(self) -> None:
        """Nothing runs yet."""
        super().__init__(
            CONFIG_DIR, output=LOG_FILE, say=say, cwd=ROOT, stop_timeout=STOP_TIMEOUT
        )

    def start(self) -> None:
        """Start hass; a banner in the log marks where this start's lines begin."""
        LOG_FILE.parent.mkdir(parents=True, exist_ok=True)
        with LOG_FILE.open("a", encoding="utf-8") as log:
            log.write(f"\n{START_BANNER} {time.ctime()} =====\n")
        super().start()


def log_tail(lines: int = 40) -> str:
    """Return the integration's errors and the last lines of the hass log."""
    try:
        text = LOG_FILE.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return "(no log)"
    lines_now = text.rsplit(START_BANNER, 1)[-1].splitlines()  # this start only
    errors = [line for line in lines_now if " ERROR " in line and DOMAIN in line]
    parts = []
    if errors:
        parts += [f"--- errors mentioning {DOMAIN} ---", *errors[-10:]]
    parts += ["--- last lines ---", *lines_now[-lines:]]
    return "\n".join(parts)
