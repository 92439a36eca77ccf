"""scripts/pialert-check (bash + curl + jq), run for real against a live server."""

from __future__ import annotations

from collections.abc import Iterator
import os
from pathlib import Path
import shutil
import subprocess

import pytest

from . import (
    API_KEY,
    CHECK_SCRIPT,
    Reply,
    ScriptedServer,
    alert_reply,
    body_text,
    ok_reply,
    rate_limited,
    server_error,
    target,
)

pytestmark = [
    pytest.mark.usefixtures("socket_enabled"),
    pytest.mark.skipif(
        not (shutil.which("bash") and shutil.which("curl") and shutil.which("jq")),
        reason="pialert-check needs bash, curl and jq",
    ),
]

BASH = shutil.which("bash") or "/bin/bash"


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations() -> None:
    """Override the repo's autouse fixture: these tests need no Home Assistant."""


@pytest.fixture
def server(socket_enabled: None) -> Iterator[ScriptedServer]:
    with ScriptedServer() as srv:
        yield srv


def run_check(
    *args: str,
    env: dict[str, str] | None = None,
    key: str | None = API_KEY,
) -> subprocess.CompletedProcess[str]:
    full_env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    if key is not None:
        full_env["PIALERT_API_KEY"] = key
    full_env.update(env or {})
    proc = subprocess.run(
        [BASH, str(CHECK_SCRIPT), *args],
        env=full_env,
        capture_output=True,
        text=True,
        timeout=15,
        check=False,
    )
    # Whatever happened, the key is never printed.
    assert API_KEY not in proc.stdout
    assert API_KEY not in proc.stderr
    return proc


def test_ok(server: ScriptedServer) -> None:
    proc = run_check("--url", server.url)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "OK: All systems operational\n"
    assert proc.stderr == ""
    assert server.keys_seen == [API_KEY]


def test_alert_lines_match_the_contract(server: ScriptedServer) -> None:
    server.push(
        alert_reply(target("Production Server", 5, 3), target("Database", 4, 3))
    )
    proc = run_check("--url", server.url + "/api/v1/alert-status")
    assert proc.returncode == 1
    assert proc.stdout == (
        "ALERT: 2 targets are down\n"
        "- Production Server: 5/3 failures\n"
        "- Database: 4/3 failures\n"
    )
    assert proc.stderr == ""


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        (server_error(), "ERROR: HTTP 500: Unable to fetch alert status"),
        (
            rate_limited(42),
            "ERROR: HTTP 429: Rate limit exceeded. Try again in 42 seconds.",
        ),
        (
            Reply(502, "<html>Bad Gateway</html>"),
            "ERROR: HTTP 502 from http://127.0.0.1:",
        ),
        (Reply(200, '{"status": "ok"}'), "ERROR: unexpected answer from"),
        (Reply(200, "not json"), "ERROR: unexpected answer from"),
        (
            Reply(302, "", {"Location": "http://127.0.0.1:1/"}),
            "ERROR: HTTP 302: redirect not followed",
        ),
    ],
    ids=["500", "429", "502-html", "200-not-status", "200-not-json", "302"],
)
def test_errors_exit_2_with_the_detail(
    server: ScriptedServer, reply: Reply, message: str
) -> None:
    server.push(reply)
    proc = run_check("--url", server.url)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.startswith(message)
    assert len(server.requests) == 1  # no redirect followed


def test_refused_key_prints_the_detail(server: ScriptedServer) -> None:
    proc = run_check("--url", server.url, key="wrong-key")
    assert proc.returncode == 2
    assert proc.stderr == "ERROR: HTTP 401: Invalid or disabled API key\n"
    assert proc.stdout == ""


def test_json_passes_the_body_through(server: ScriptedServer) -> None:
    ok = ok_reply()
    alert = alert_reply(target("Database", 4, 3))
    server.push(ok, alert)
    proc = run_check("--url", server.url, "--json")
    assert proc.returncode == 0
    assert proc.stdout == body_text(ok)
    proc = run_check("--json", env={"PIALERT_URL": server.url})
    assert proc.returncode == 1
    assert proc.stdout == body_text(alert)
    proc = run_check("--json", "--url", server.url, key="wrong-key")
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "Invalid or disabled API key" in proc.stderr


def test_unreachable_and_timeout(server: ScriptedServer) -> None:
    server.push(Reply(200, ok_reply().body, delay=1.5))
    proc = run_check("--url", server.url, "--timeout", "0.5")
    assert proc.returncode == 2
    assert proc.stderr.startswith("ERROR: cannot reach PiAlert at ")
    assert "timed out after 0.5 s" in proc.stderr

    server.stop()
    proc = run_check("--url", server.url)
    assert proc.returncode == 2
    assert proc.stderr.startswith(
        f"ERROR: cannot reach PiAlert at {server.url}/api/v1/alert-status: "
    )
    assert proc.stdout == ""


def test_key_file_and_key_never_on_a_command_line(
    server: ScriptedServer, tmp_path: Path
) -> None:
    key_file = tmp_path / "key"
    key_file.write_text(API_KEY + "\r\n")
    # A curl wrapper records its arguments: the key must not be among them.
    real_curl = shutil.which("curl")
    assert real_curl is not None
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    argv_log = tmp_path / "curl-argv"
    wrapper = bin_dir / "curl"
    wrapper.write_text(
        f'#!{BASH}\nprintf "%s\\n" "$@" > "{argv_log}"\nexec "{real_curl}" "$@"\n'
    )
    wrapper.chmod(0o755)
    path = f"{bin_dir}:{os.environ.get('PATH', '/usr/bin:/bin')}"
    proc = run_check(
        "--url", server.url, "--key-file", str(key_file), key=None, env={"PATH": path}
    )
    assert proc.returncode == 0, proc.stderr
    assert server.keys_seen == [API_KEY]
    assert argv_log.exists()
    assert API_KEY not in argv_log.read_text()

    proc = run_check("--url", server.url, "--key-file", str(tmp_path / "missing"))
    assert proc.returncode == 2
    assert "cannot read key file" in proc.stderr


def test_usage_errors(server: ScriptedServer) -> None:
    proc = run_check("--url", server.url, key=None)
    assert proc.returncode == 2
    assert (
        proc.stderr == "ERROR: no API key: set PIALERT_API_KEY or use --key-file PATH\n"
    )
    proc = run_check("--url", server.url, "--key", API_KEY)
    assert proc.returncode == 2
    assert "--key is not supported" in proc.stderr
    for args in (
        [],
        ["--url", "pialert.local:8000"],
        ["--url", server.url, "--timeout", "0"],
        ["--url", server.url, "--timeout", "soon"],
        ["--url", server.url, "--bogus"],
    ):
        proc = run_check(*args)
        assert proc.returncode == 2, args
        assert proc.stdout == ""
    assert server.requests == []  # none of these sent a request
    proc = run_check("--help")
    assert proc.returncode == 0
    assert proc.stdout.startswith("Usage: pialert-check")


@pytest.mark.parametrize("missing", ["curl", "jq"])
def test_missing_tool_exits_2(tmp_path: Path, missing: str) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("curl", "jq", "mktemp", "rm", "cat", "head", "tr"):
        found = shutil.which(tool)
        if tool != missing and found:
            (bin_dir / tool).symlink_to(found)
    proc = run_check("--url", "http://127.0.0.1:9", env={"PATH": str(bin_dir)})
    assert proc.returncode == 2
    assert proc.stderr.startswith(f"ERROR: {missing} is not installed")
