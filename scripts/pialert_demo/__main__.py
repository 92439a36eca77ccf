"""scripts/demo: start, prepare and keep (or, with --check, verify and stop) the demo."""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
import time

import aiohttp

from scripts.hass_process import ROOT, HassError, free_port, port_in_use

from . import DemoError, say
from .client import ensure_hub, verify_hub, wait_for_http, wait_until_running
from .config import LOG_FILE, prepare_config
from .dashboard import ensure_dashboard
from .onboarding import onboard_or_log_in
from .process import DemoHass, log_tail
from .showcase import after_hub
from .site import DemoSite

DEFAULT_PORT = 8123
START_TIMEOUT = 170.0
RESTART_EXIT_CODE = 100  # what hass exits with when asked to restart


async def prepare_instance(
    hass: DemoHass, base_url: str, deadline: float, *, site_url: str, check: bool
) -> list[str]:
    """Onboard, add and verify the hub, run after_hub; return the lines to print."""
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        steps = await wait_for_http(session, base_url, hass, deadline)
        say("HTTP API is up")
        token, credentials = await onboard_or_log_in(session, base_url, steps)
        await wait_until_running(session, base_url, token, deadline)
        await ensure_hub(session, base_url, token)
        entry = await verify_hub(session, base_url, token, deadline)
        say(f"PiAlert hub {entry.get('title')!r} is loaded")
        extra = await after_hub(
            session,
            base_url,
            token,
            entry_id=str(entry["entry_id"]),
            site_url=site_url,
            check=check,
        )
        dashboard_url = await ensure_dashboard(session, base_url, token)
    return [
        f"Open:      {base_url}/",
        f"Username:  {credentials.username}",
        f"Password:  {credentials.password}",
        "Then:      Settings -> Devices & services -> PiAlert",
        f"Dashboard: {dashboard_url}  (PiAlert's card; the PiAlert panel: {base_url}/pialert)",
        *extra,
    ]


async def wait_for_exit(hass: DemoHass) -> int:
    """Return hass's exit code once it has exited."""
    while True:
        if (code := hass.exit_code()) is not None:
            return code
        await asyncio.sleep(0.5)


async def watch(hass: DemoHass, base_url: str, start_timeout: float) -> int:
    """Wait while hass runs; start it again when it asks to restart.

    Returns 1 when hass exits by itself; a signal ends this by cancellation.
    """
    while True:
        code = await wait_for_exit(hass)
        if code != RESTART_EXIT_CODE:
            say(f"Home Assistant exited by itself with code {code}; log tail:")
            print(log_tail(), flush=True)
            return 1
        say("Home Assistant asked to restart: starting it again")
        hass.start()
        async with aiohttp.ClientSession() as session:
            await wait_for_http(
                session, base_url, hass, time.monotonic() + start_timeout
            )
        say(f"Home Assistant is back at {base_url}/")


def escalate(signum: int, frame: object) -> None:
    """While stopping hass, a second Ctrl-C or SIGTERM means: kill it now."""
    del signum, frame
    raise KeyboardInterrupt


async def run(args: argparse.Namespace) -> int:
    """Do the whole demo; return the exit code."""
    loop = asyncio.get_running_loop()
    task = asyncio.current_task()
    assert task is not None
    received: list[int] = []

    def on_signal(signum: int) -> None:
        received.append(signum)
        task.cancel()

    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, on_signal, signum)

    port = free_port() if args.port == 0 else args.port
    base_url = f"http://127.0.0.1:{port}"
    started = time.monotonic()
    hass = DemoHass()
    site = DemoSite()
    try:
        prepare_config(port, fresh=args.fresh)
        if port_in_use(port):
            raise DemoError(
                f"something already listens on 127.0.0.1:{port}: stop it or use --port"
            )
        if LOG_FILE.exists():  # keep one earlier log, as hass does
            LOG_FILE.replace(LOG_FILE.with_name(LOG_FILE.name + ".1"))
        say(
            f"starting Home Assistant on {base_url} (log: {LOG_FILE.relative_to(ROOT)})"
        )
        site_url = await site.start()
        say(f"demo site on {site_url}/")
        hass.start()
        lines = await prepare_instance(
            hass, base_url, started + args.timeout, site_url=site_url, check=args.check
        )
        say(f"ready after {time.monotonic() - started:.1f} s")
        print("\n".join(["", *lines, ""]), flush=True)
        if args.check:
            say("check passed")
            return 0
        say("Home Assistant keeps running; press Ctrl-C to stop it")
        return await watch(hass, base_url, args.timeout)
    except (DemoError, HassError) as err:
        say(f"FAILED: {err}")
        if hass.proc is not None:
            say(f"last lines of {LOG_FILE.relative_to(ROOT)}:")
            print(log_tail(), flush=True)
        return 1
    except asyncio.CancelledError:
        if not received:
            raise
        say(f"got {signal.Signals(received[0]).name}")
        while task.uncancel():  # handled: let the clean-up below await normally
            pass
        return 1 if args.check else 0
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signum)
            signal.signal(signum, escalate)
        hass.stop()
        await site.stop()


def parse_args(argv: list[str]) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(
        prog="scripts/demo",
        description="Run Home Assistant with the PiAlert integration for a demo.",
    )
    parser.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        help=f"HTTP port on 127.0.0.1 (default {DEFAULT_PORT}; 0 picks a free one)",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="start, verify, stop; exit 0 when everything worked",
    )
    parser.add_argument(
        "--fresh", action="store_true", help="delete .demo/config first (new instance)"
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=START_TIMEOUT,
        help=f"seconds allowed for start-up and set-up (default {START_TIMEOUT:.0f})",
    )
    args = parser.parse_args(argv)
    if not 0 <= args.port <= 65535:
        parser.error("--port must be between 0 and 65535")
    return args


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        return asyncio.run(run(args))
    except KeyboardInterrupt:
        return 1 if args.check else 0


if __name__ == "__main__":
    sys.exit(main())
