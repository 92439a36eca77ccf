"""scripts/pialert-relay against a live alert-status server on 127.0.0.1.

The relay runs in-process with a fake clock and sleep (so minutes of polling
take milliseconds) and gpiozero's MockFactory (so pin levels can be read),
plus a few real subprocesses for the command line, --dry-run and SIGTERM.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
import email.utils
import logging
import os
from pathlib import Path
import random
import selectors
import signal
import subprocess
import sys
import time
from typing import Any

from gpiozero import Device
from gpiozero.pins.mock import MockFactory
import pytest

from . import (
    API_KEY,
    RELAY_SCRIPT,
    Reply,
    ScriptedServer,
    alert_reply,
    error_reply,
    load_relay_module as _load,
    ok_reply,
    rate_limited,
    server_error,
    target,
)

relay = _load()

pytestmark = pytest.mark.usefixtures("socket_enabled")

PIN = 17


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations() -> None:
    """Override the repo's autouse fixture: these tests need no Home Assistant."""


@pytest.fixture
def server(socket_enabled: None) -> Iterator[ScriptedServer]:
    with ScriptedServer() as srv:
        yield srv


@pytest.fixture
def pins() -> Iterator[MockFactory]:
    """gpiozero's mock pins for the duration of one test."""
    previous = Device.pin_factory
    factory = MockFactory()
    Device.pin_factory = factory
    try:
        yield factory
    finally:
        factory.reset()
        factory.close()
        Device.pin_factory = previous


class FakeClock:
    """Monotonic time that only moves when the controller sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []
        self.on_sleep: Callable[[float], None] | None = None

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        assert seconds >= 0
        self.sleeps.append(seconds)
        self.now += seconds
        if self.on_sleep is not None:
            self.on_sleep(seconds)


class EdgeRng:
    """A jitter source returning the top (or bottom) of the allowed range."""

    def __init__(self, top: bool = True) -> None:
        self.top = top
        self.ranges: list[tuple[float, float]] = []

    def uniform(self, low: float, high: float) -> float:
        self.ranges.append((low, high))
        return high if self.top else low


def make_controller(
    server: ScriptedServer,
    *,
    active_low: bool = False,
    fail_safe: str = "on",
    fail_safe_after: float = 120.0,
    interval: float = 30.0,
    rng: Any = None,
    timeout: float = 2.0,
) -> tuple[Any, FakeClock, Any]:
    clock = FakeClock()
    gpio = relay.GpioRelay(PIN, active_low)
    client = relay.AlertStatusClient(server.url, API_KEY, timeout)
    controller = relay.RelayController(
        client,
        gpio,
        interval=interval,
        fail_safe=fail_safe,
        fail_safe_after=fail_safe_after,
        clock=clock,
        sleep=clock.sleep,
        rng=rng if rng is not None else EdgeRng(),
        logger=logging.getLogger("tests.pialert-relay"),
    )
    return controller, clock, gpio


def level(pins: MockFactory) -> int:
    """The electrical level of the relay pin (1 high, 0 low)."""
    return int(pins.pin(PIN).state)


# --- parsing ----------------------------------------------------------------------


def test_parse_alert_status() -> None:
    ok = relay.parse_alert_status(
        b'{"alert": false, "failing_targets": [], "failing_count": 0}'
    )
    assert not ok.alert
    assert ok.summary() == "all systems operational"

    body = alert_reply(target("A"), target("B", 4)).body
    status = relay.parse_alert_status(relay.json.dumps(body).encode())
    assert status.alert
    assert status.failing_count == 2
    assert [t.name for t in status.failing_targets] == ["A", "B"]
    assert status.failing_targets[1].failures == 4
    assert status.summary() == "alert: 2 targets down: A, B"

    one = relay.parse_alert_status(
        b'{"alert": true, "failing_targets": [{"name": "x\\ny"}]}'
    )
    assert one.failing_count == 1  # missing failing_count: counted
    assert one.summary() == "alert: 1 target down: x?y"  # control characters made safe

    many = [{"name": f"t{i}"} for i in range(12)]
    text = relay.json.dumps({"alert": True, "failing_targets": many}).encode()
    assert relay.parse_alert_status(text).summary().endswith("t9, ... (+2 more)")

    for bad in (
        b"not json",
        b"\xff\xfe",
        b"[]",
        b'{"failing_targets": []}',
        b'{"alert": "true"}',
        b'{"alert": true, "failing_targets": {}}',
        b'{"alert": true, "failing_targets": ["A"]}',
    ):
        with pytest.raises(ValueError):  # noqa: PT011 - the message varies per case
            relay.parse_alert_status(bad)


def test_parse_retry_after() -> None:
    now = 1_700_000_000.0
    assert relay.parse_retry_after("42", now) == 42.0
    assert relay.parse_retry_after(" 60 ", now) == 60.0
    assert relay.parse_retry_after(None, now) is None
    assert relay.parse_retry_after("soon", now) is None
    assert relay.parse_retry_after("-5", now) is None
    assert relay.parse_retry_after("999999", now) == relay.MAX_RETRY_AFTER
    date = email.utils.formatdate(now + 90, usegmt=True)
    assert relay.parse_retry_after(date, now) == pytest.approx(90.0)
    past = email.utils.formatdate(now - 90, usegmt=True)
    assert relay.parse_retry_after(past, now) == 0.0


def test_build_status_url() -> None:
    full = "http://pi:8000/api/v1/alert-status"
    assert relay.build_status_url("http://pi:8000") == full
    assert relay.build_status_url("http://pi:8000/") == full
    assert relay.build_status_url(full) == full
    assert relay.build_status_url("https://h/pialert/?x=1") == (
        "https://h/pialert/api/v1/alert-status?x=1"
    )
    for bad in ("pi:8000", "file:///etc/passwd", "ftp://pi/", "http://"):
        with pytest.raises(relay.ConfigError):
            relay.build_status_url(bad)
    assert relay.redact_url("http://u:p@h:1/x") == "http://h:1/x"


# --- one poll against the live server ------------------------------------------------


def test_poll_parses_every_kind_of_answer(server: ScriptedServer) -> None:
    client = relay.AlertStatusClient(server.url, API_KEY, timeout=2.0)
    server.push(
        ok_reply(),
        alert_reply(target("Production Server"), target("Database", 4)),
        rate_limited(42),
        error_reply(
            429, "Too many failed authentication attempts. Try again in 60 seconds.", 60
        ),
        error_reply(429, "Rate limit exceeded. Try again in 7 seconds."),  # no header
        server_error(),
        Reply(200, "<html>proxy page</html>"),
        Reply(204, None),
        Reply(302, "", {"Location": "http://127.0.0.1:1/elsewhere"}),
        Reply(502, "Bad Gateway"),
    )
    results = [client.poll() for _ in range(10)]
    assert [r.exit_code for r in results] == [0, 1, 2, 2, 2, 2, 2, 2, 2, 2]
    assert results[0].ok
    assert not results[0].status.alert
    assert results[1].status.summary() == (
        "alert: 2 targets down: Production Server, Database"
    )
    assert results[2].http_status == 429
    assert results[2].retry_after == 42.0
    assert results[2].error == "HTTP 429: Rate limit exceeded. Try again in 42 seconds."
    assert results[3].retry_after == 60.0
    assert results[4].retry_after == 7.0  # taken from the detail text
    assert results[5].error == "HTTP 500: Unable to fetch alert status"
    assert results[5].retry_after is None
    assert results[6].error.startswith("invalid answer: body is not JSON")
    assert results[7].error == "HTTP 204: unexpected status"
    assert results[8].error == (
        "HTTP 302: redirects are not followed, point --url at the final address"
    )
    assert results[9].error == "HTTP 502: Bad Gateway"
    # Every request carried the key, and only to the server.
    assert server.keys_seen == [API_KEY] * 10
    assert all(h.get("accept") == "application/json" for h in server.requests)


def test_poll_reports_refused_key_timeout_and_refused_connection(
    server: ScriptedServer,
) -> None:
    wrong = relay.AlertStatusClient(server.url, "not-the-key", timeout=2.0)
    result = wrong.poll()
    assert result.error == "HTTP 401: Invalid or disabled API key"
    assert result.http_status == 401

    slow = relay.AlertStatusClient(server.url, API_KEY, timeout=0.3)
    server.push(Reply(200, ok_reply().body, delay=1.0))
    result = slow.poll()
    assert result.error == "cannot reach PiAlert: timed out after 0.3 s"
    assert result.http_status is None

    server.stop()
    result = relay.AlertStatusClient(server.url, API_KEY, timeout=2.0).poll()
    assert result.error == "cannot reach PiAlert: Connection refused"
    assert result.exit_code == relay.EXIT_ERROR


# --- the controller: pin levels over time --------------------------------------------


def test_relay_through_alert_ok_429_backoff_fail_safe_and_recovery(
    server: ScriptedServer, pins: MockFactory, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="tests.pialert-relay")
    ctl, clock, gpio = make_controller(server, fail_safe="on", fail_safe_after=100)
    start = clock.now
    assert level(pins) == 0  # initial_value=False, active-high
    server.push(
        alert_reply(target("A"), target("B")),
        ok_reply(),
        rate_limited(42),
        ok_reply(),
        server_error(),
        server_error(),
    )
    times, delays, levels = [], [], []

    def poll() -> None:
        times.append(clock.now - start)
        delays.append(ctl.step())
        levels.append(level(pins))
        ctl.wait(delays[-1])

    for _ in range(6):
        poll()
    # alert -> ON, ok -> OFF, 429 -> unchanged, ok, 500, 500
    assert levels == [1, 0, 0, 0, 0, 0]
    # 429 waited exactly Retry-After; errors back off 30, 60 (top of the jitter range)
    assert delays == [30, 30, 42, 30, 30, 60]
    assert times == [0, 30, 60, 102, 132, 162]
    # The last good answer was at 102: the fail-safe fell due at 202, inside
    # the 60 s wait after the poll at 162, which was split there.
    assert clock.sleeps[-2:] == [40, 20]
    assert level(pins) == 1
    assert ctl.fail_safe_active
    assert "fail-safe: relay ON (unreachable for 100 s)" in caplog.text

    server.stop()  # connection refused from now on
    poll()
    poll()
    assert delays[-2:] == [120, 240]  # the backoff window keeps doubling
    assert levels[-2:] == [1, 1]
    assert ctl.last_result.error == "cannot reach PiAlert: Connection refused"

    server.start()
    poll()
    assert times[-1] == 222 + 120 + 240
    assert levels[-1] == 0  # recovered: all systems operational
    assert not ctl.fail_safe_active
    assert ctl.failures == 0
    assert ctl.rng.ranges == [(10, 30), (10, 60), (10, 120), (10, 240)]
    assert "relay ON (alert: 2 targets down: A, B)" in caplog.text
    assert "relay OFF (all systems operational)" in caplog.text
    assert "PiAlert answers again (after 480 s without a good answer)" in caplog.text
    assert API_KEY not in caplog.text
    assert server.keys_seen == [API_KEY] * 7  # two polls were refused
    ctl.shutdown()
    assert gpio.closed


def test_backoff_is_jittered_and_capped(
    server: ScriptedServer, pins: MockFactory
) -> None:
    rng = random.Random(1234)
    ctl, _clock, _gpio = make_controller(server, rng=rng, fail_safe_after=10_000)
    server.default = server_error()
    delays = [ctl.step() for _ in range(8)]
    windows = [30, 60, 120, 240, 300, 300, 300, 300]
    for delay, window in zip(delays, windows, strict=True):
        assert 10 <= delay <= window
    assert len(set(delays)) == len(delays)  # jittered, not a fixed ladder
    assert ctl.failures == 8
    ctl.shutdown()


@pytest.mark.parametrize(
    ("mode", "start", "expected", "line"),
    [
        ("on", ok_reply, 1, "fail-safe: relay ON (unreachable for 130 s)"),
        (
            "off",
            lambda: alert_reply(target("A")),
            0,
            "fail-safe: relay OFF (unreachable for 130 s)",
        ),
        (
            "keep",
            lambda: alert_reply(target("A")),
            1,
            "fail-safe: relay stays ON (unreachable for 130 s)",
        ),
        ("keep", ok_reply, 0, "fail-safe: relay stays OFF (unreachable for 130 s)"),
    ],
    ids=["on", "off", "keep-on", "keep-off"],
)
def test_fail_safe_modes(
    server: ScriptedServer,
    pins: MockFactory,
    caplog: pytest.LogCaptureFixture,
    mode: str,
    start: Callable[[], Reply],
    expected: int,
    line: str,
) -> None:
    caplog.set_level(logging.INFO, logger="tests.pialert-relay")
    ctl, clock, _gpio = make_controller(server, fail_safe=mode, fail_safe_after=130)
    server.push(start())
    ctl.wait(ctl.step())
    before = level(pins)
    t0 = clock.now - 30
    server.stop()
    seen = []
    while not ctl.fail_safe_active:
        seen.append(level(pins))
        ctl.wait(ctl.step())
    assert set(seen) == {before}  # unchanged until the deadline
    assert clock.now - t0 >= 130
    assert level(pins) == expected
    assert line in caplog.text

    # Later failures leave it there; a good answer switches by the status again.
    ctl.wait(ctl.step())
    assert level(pins) == expected
    server.start()
    server.push(ok_reply())
    ctl.step()
    assert level(pins) == 0
    ctl.shutdown()


def test_active_low_inverts_levels(server: ScriptedServer, pins: MockFactory) -> None:
    ctl, _clock, gpio = make_controller(server, active_low=True)
    assert level(pins) == 1  # off = high on an active-low board
    server.push(alert_reply(target("A")), ok_reply(), alert_reply(target("A")))
    ctl.step()
    assert level(pins) == 0
    assert gpio.is_on
    ctl.step()
    assert level(pins) == 1
    assert not gpio.is_on
    ctl.step()
    assert level(pins) == 0
    ctl.shutdown()
    pin = pins.pin(PIN)
    assert pin.states[-1].state  # left in the off state (high)...
    assert pin.function == "input"  # ...and released


def test_run_with_max_polls_returns_the_last_exit_code(
    server: ScriptedServer, pins: MockFactory
) -> None:
    ctl, clock, _gpio = make_controller(server)
    server.push(ok_reply(), alert_reply(target("A")))
    assert ctl.run(max_polls=2) == relay.EXIT_ALERT
    assert clock.sleeps == [30]  # no wait after the last poll
    assert level(pins) == 1
    server.push(server_error())
    assert ctl.run(max_polls=3) == relay.EXIT_ERROR
    ctl.shutdown()
    assert level(pins) == 0


def test_sigterm_switches_off_and_releases_the_pin(
    server: ScriptedServer, pins: MockFactory
) -> None:
    ctl, clock, gpio = make_controller(server)
    server.default = alert_reply(target("A"))
    clock.on_sleep = lambda _s: os.kill(os.getpid(), signal.SIGTERM)
    before = signal.getsignal(signal.SIGTERM)
    restore = relay.install_signal_handlers(ctl)
    try:
        code = ctl.run()
    finally:
        ctl.shutdown()
        restore()
    assert signal.getsignal(signal.SIGTERM) is before
    assert ctl.stop_reason == "SIGTERM received"
    assert ctl.polls == 1
    assert code == relay.EXIT_ALERT
    pin = pins.pin(PIN)
    assert [s.state for s in pin.states][-2:] == [True, False]  # ON, then OFF
    assert pin.function == "input"
    assert gpio.closed
    ctl.shutdown()  # idempotent


def test_gpio_relay_errors_are_reported(pins: MockFactory) -> None:
    def broken(*_args: Any, **_kwargs: Any) -> Any:
        raise OSError("pin busy")

    with pytest.raises(relay.RelayError, match="cannot use GPIO5: pin busy"):
        relay.GpioRelay(5, device_factory=broken)
    first = relay.GpioRelay(PIN)
    with pytest.raises(relay.RelayError, match="cannot use GPIO17"):
        relay.GpioRelay(PIN)  # already in use
    first.close()


# --- configuration --------------------------------------------------------------------


def test_parse_args_and_key_loading(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    env = {"PIALERT_URL": "http://pi:8000", "PIALERT_RELAY_PIN": "22"}
    args = relay.parse_args(["--once", "--active-low"], env)
    assert (args.url, args.pin, args.max_polls, args.interval) == (
        "http://pi:8000",
        22,
        1,
        30.0,
    )
    assert args.timeout == 5.0
    assert args.fail_safe == "on"
    assert args.fail_safe_after == 120.0
    assert relay.parse_args(["--pin", "4"], env).pin == 4
    assert relay.parse_args([], {"PIALERT_URL": "http://x"}).pin == 17

    for argv in (
        ["--interval", "5"],
        ["--interval", "10", "--timeout", "10"],
        ["--pin", "99"],
        ["--fail-safe", "maybe"],
        ["--key", API_KEY],
        [f"--key={API_KEY}"],
        ["--api-key", API_KEY],
    ):
        with pytest.raises(SystemExit) as exc:
            relay.parse_args(argv, env)
        assert exc.value.code == 2
    with pytest.raises(SystemExit):
        relay.parse_args([], {})  # no URL
    err = capsys.readouterr().err
    assert "--key is not supported" in err
    assert API_KEY not in err

    assert relay.load_api_key(None, {"PIALERT_API_KEY": f"  {API_KEY}\n"}) == API_KEY
    key_file = tmp_path / "key"
    key_file.write_text(API_KEY + "\n")
    key_file.chmod(0o600)
    assert relay.load_api_key(str(key_file), {"PIALERT_API_KEY": "other"}) == API_KEY
    for bad_env, path in (({}, None), ({"PIALERT_API_KEY": "a\nb"}, None)):
        with pytest.raises(relay.ConfigError) as info:
            relay.load_api_key(path, bad_env)
        assert "a\nb" not in str(info.value)
    with pytest.raises(relay.ConfigError, match="cannot read key file"):
        relay.load_api_key(str(tmp_path / "missing"), {})


# --- the real command line ---------------------------------------------------------------


def run_relay(
    *args: str, env: dict[str, str] | None = None, timeout: float = 15
) -> subprocess.CompletedProcess[str]:
    full_env = {"PATH": os.environ.get("PATH", ""), "PIALERT_API_KEY": API_KEY}
    full_env.update(env or {})
    proc = subprocess.run(
        [sys.executable, str(RELAY_SCRIPT), *args],
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert API_KEY not in proc.stdout
    assert API_KEY not in proc.stderr
    return proc


@pytest.mark.parametrize(
    ("reply", "code", "line"),
    [
        (ok_reply, 0, "relay OFF (all systems operational)"),
        (
            lambda: alert_reply(target("A"), target("B")),
            1,
            "relay ON (alert: 2 targets down: A, B)",
        ),
        (
            server_error,
            2,
            "no change: relay OFF (error: HTTP 500: Unable to fetch alert status;",
        ),
    ],
    ids=["ok", "alert", "error"],
)
def test_dry_run_once(
    server: ScriptedServer, reply: Callable[[], Reply], code: int, line: str
) -> None:
    server.push(reply())
    proc = run_relay("--dry-run", "--once", "--url", server.url)
    assert proc.returncode == code, proc.stderr
    assert proc.stdout.splitlines()[0].startswith(line)
    assert server.keys_seen == [API_KEY]


def test_dry_run_wrong_key_and_key_file(server: ScriptedServer, tmp_path: Path) -> None:
    proc = run_relay(
        "--dry-run", "--once", "--url", server.url, env={"PIALERT_API_KEY": "nope"}
    )
    assert proc.returncode == 2
    assert "HTTP 401: Invalid or disabled API key" in proc.stdout
    assert "HTTP 401: Invalid or disabled API key" in proc.stderr

    key_file = tmp_path / "relay.key"
    key_file.write_text(API_KEY + "\n")
    key_file.chmod(0o600)
    proc = run_relay(
        "--dry-run",
        "--once",
        "--key-file",
        str(key_file),
        env={"PIALERT_URL": server.url, "PIALERT_API_KEY": ""},
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "relay OFF (all systems operational)\n"
    assert server.keys_seen == ["nope", API_KEY]


def test_cli_refuses_key_on_command_line_and_missing_key(
    server: ScriptedServer,
) -> None:
    proc = run_relay("--dry-run", "--once", "--url", server.url, "--key", API_KEY)
    assert proc.returncode == 2
    assert "--key is not supported" in proc.stderr
    proc = run_relay(
        "--dry-run", "--once", "--url", server.url, env={"PIALERT_API_KEY": ""}
    )
    assert proc.returncode == 2
    assert "no API key" in proc.stderr
    assert server.requests == []


def test_sigterm_in_a_real_process_releases_the_pin(server: ScriptedServer) -> None:
    """A real daemon on mock pins: SIGTERM during the wait stops it cleanly."""
    server.default = alert_reply(target("A"))
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PIALERT_API_KEY": API_KEY,
        "PIALERT_URL": server.url,
        "GPIOZERO_PIN_FACTORY": "mock",
    }
    proc = subprocess.Popen(
        [sys.executable, str(RELAY_SCRIPT), "--interval", "10"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stderr is not None
    early = b""
    try:
        with selectors.DefaultSelector() as sel:
            sel.register(proc.stderr, selectors.EVENT_READ)
            deadline = time.monotonic() + 10
            while b"relay ON" not in early and time.monotonic() < deadline:
                if sel.select(timeout=0.5):
                    chunk = os.read(proc.stderr.fileno(), 4096)
                    if not chunk:
                        break
                    early += chunk
        assert b"relay ON (alert: 1 target down: A)" in early, early
        print(early.decode())
        started = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        out_bytes, err_bytes = proc.communicate(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    out, err = out_bytes.decode(), (early + err_bytes).decode()
    assert time.monotonic() - started < 5  # did not sit out the 10 s interval
    assert proc.returncode == 0
    assert "SIGTERM received, stopping" in err
    assert "stopped: relay OFF, GPIO17 (active-high) released" in err
    assert API_KEY not in out + err
    assert len(server.requests) == 1
