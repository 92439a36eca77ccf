"""The status page stays compact: 50 targets with 90 days of history."""

from __future__ import annotations

from datetime import timedelta
from http import HTTPStatus
import re
from typing import Any

from homeassistant.util import dt as dt_util

from .conftest import MakeHub
from .page_helpers import add_page

TARGETS = 50
# One element per day with its tooltip was about 330 KB for these 50 targets.
MAX_PAGE_BYTES = 80_000
MAX_COMPRESSED_BYTES = 12_000
RUN = re.compile(r'<i class="([a-z_]+)"(?: style="--n:(\d+)")? title="([^"]+)"></i>')


def heartbeat(index: int) -> dict[str, Any]:
    """Return a daily job pushing heartbeats."""
    return {
        "id": f"job{index:02d}",
        "kind": "heartbeat",
        "name": f"Job {index:02d}",
        "period": 86400,
        "grace": 3600,
        "token": f"size-token-{index:02d}_0123456789abcdefghijklmnopqrstuvwxyz",
        "tags": ["jobs"],
    }


async def test_fifty_targets_with_ninety_days_stay_small(make_hub: MakeHub) -> None:
    """Every day is still drawn and described; the page is a fraction of its old size."""
    hub = await make_hub(*(heartbeat(i) for i in range(TARGETS)), keys=False)
    await add_page(hub, groups=[{"name": "Jobs", "targets": [], "tags": ["jobs"]}])
    now = hub.coordinator.now()
    for index in range(TARGETS):
        for day in range(90):
            at = now - timedelta(days=day)
            hub.record(f"job{index:02d}", True, at=at)
            # Now and then a day with failures: a run of like days ends there.
            if (day + index) % 23 == 0:
                hub.record(f"job{index:02d}", False, at=at)
    await hub.settle()

    response = await hub.client.get(
        "/pialert/status/home", headers={"Accept-Encoding": "gzip"}
    )
    assert response.status == HTTPStatus.OK
    assert response.headers["Content-Encoding"] == "gzip"
    compressed = int(response.headers["Content-Length"])
    html = await response.text()
    assert len(html.encode()) < MAX_PAGE_BYTES, len(html.encode())
    assert compressed < MAX_COMPRESSED_BYTES, compressed
    assert "<script" not in html

    # Each target still has its 90 days, each day named in a tooltip.
    targets = html.split('<li class="target">')[1:]
    assert len(targets) == TARGETS
    today = dt_util.as_local(now).date()
    for target in targets:
        runs = RUN.findall(target)
        assert sum(int(n or 1) for _, n, _ in runs) == 90
        first = runs[0][2].split(":")[0].split(" to ")[0]
        assert first == (today - timedelta(days=89)).isoformat()
        assert runs[-1][2].split(":")[0].split(" to ")[-1] == today.isoformat()
        assert any(state == "outage" for state, _, _ in runs)
        assert "50.00 % uptime" in target
        assert 'role="img" aria-label="Last 90 days: ' in target
