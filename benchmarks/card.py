"""card: the websocket feed of the card and panel, and the card's rendering.

The feed is PiAlert's own code (``card_views.CardFeed``) over a real engine
with 1,000 targets that each have 30 checks in their log:

* the subscription's first message (every view, encoded as Home Assistant
  encodes websocket messages), against Home Assistant's own first message of
  ``subscribe_entities`` for 1,000 entity states with the same encoder;
* building every view, which the integration does at setup (``card_warm``)
  and which the first subscriber after a start used to wait for, and the
  cost of keeping a view current after a check;
* one target's change on the wire (one new check result), against the full
  first message.

The card (the committed bundle) renders those 1,000 views in headless
Chromium (Debian's, through Playwright), compact and detailed, against the
same page drawing 1,000 plain rows with ``innerHTML``. The card draws only
the rows near the screen (the rest as the page scrolls), so the figure is the
time until that screen is drawn, settled and painted, from the message's
text (parsed inside the timed part, as Home Assistant's socket hands it over).
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
import time
from types import SimpleNamespace
from typing import Any, cast

from homeassistant.components.websocket_api.messages import event_message
from homeassistant.core import State
from homeassistant.helpers.json import json_bytes
from playwright.sync_api import sync_playwright

from custom_components.pialert.card_views import CardFeed, SharedViews
from custom_components.pialert.card_warm import BUILD_CHUNK
from custom_components.pialert.coordinator import PiAlertCoordinator
from custom_components.pialert.engine.alerting import Monitor
from custom_components.pialert.engine.config import target_from_data
from custom_components.pialert.engine.history import History
from custom_components.pialert.engine.models import CheckResult
from custom_components.pialert.frontend_setup import BUNDLE_NAME, FRONTEND_DIR

from . import Result, say
from ._hass import entity_target

NAME = "card"
TITLE = "Card feed (1,000 targets) and the card's rendering in Chromium"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"]
CHECKS_PER_TARGET = 30
FULL = {"targets": 1000, "repeats": 7}
QUICK = {"targets": 200, "repeats": 3}
GOAL_FIRST_MS = 50.0
GOAL_CHANGE_BYTES = 1024
GOAL_RENDER_MS = 200.0

RENDER_PAGE = """<!doctype html><html><head><meta charset="utf-8"><style>
body { margin: 0; font-family: sans-serif; width: 1200px; }
</style></head><body></body></html>"""

# The first message's text is handed to the page once (STORE_MESSAGE); each
# run parses it inside the timed part, as Home Assistant's socket does. Handing
# 1,000 views over as an argument of every run instead cost the page over a
# second of deserializing just before the timer started, and its garbage was
# collected inside the timed part.
STORE_MESSAGE = """(text) => {
  window.pialertBenchMessage = text;
  window.pialertBenchCount = JSON.parse(text).event.targets.length;
}"""

# Time from putting the card on the page to its rows laid out and painted.
RENDER_CARD = """async ([mode]) => {
  document.body.replaceChildren();
  const hass = {
    connection: { subscribeMessage: async (callback) => {
      queueMicrotask(() => callback(JSON.parse(window.pialertBenchMessage).event));
      return async () => {};
    } },
    callWS: async () => ({}),
    user: { is_admin: true, name: "Bench" },
  };
  const t0 = performance.now();
  const card = document.createElement("pialert-card");
  card.setConfig({ type: "custom:pialert-card", mode });
  card.hass = hass;
  document.body.append(card);
  const list = () => card.shadowRoot && card.shadowRoot.querySelector("pialert-target-list");
  while (!list() || list().targets.length < window.pialertBenchCount) {
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  const frame = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  const rows = () => list().shadowRoot.querySelectorAll("pialert-target-row");
  // Settled: the list drew every row it means to draw for the screen (more
  // only when scrolled), each row is up to date, laid out and painted.
  let drawn;
  do {
    await list().updateComplete;
    drawn = rows().length;
    await Promise.all([...rows()].map((row) => row.updateComplete));
    document.body.offsetHeight;
    await frame();
  } while (drawn !== rows().length || list().isUpdatePending);
  return [performance.now() - t0, drawn];
}"""

RENDER_BARE = """() => {
  document.body.replaceChildren();
  const t0 = performance.now();
  const views = JSON.parse(window.pialertBenchMessage).event.targets;
  const root = document.createElement("div");
  root.innerHTML = views.map((v) =>
    `<div class="row"><span>${v.name}</span> <span>${v.status}</span> <span>${v.uptime["24h"]}</span></div>`
  ).join("");
  document.body.append(root);
  document.body.offsetHeight;
  return new Promise((resolve) =>
    requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - t0))));
}"""


def _engine(count: int, now: dt.datetime) -> Monitor:
    """A monitor with ``count`` targets, each with a log of checks, some down."""
    monitor = Monitor(History())
    targets = [
        target_from_data(f"t{i:05d}", entity_target(f"Target {i:05d}", f"sensor.t{i}"))
        for i in range(count)
    ]
    monitor.set_targets(targets, now)
    for check in range(CHECKS_PER_TARGET):
        at = now - dt.timedelta(seconds=60 * (CHECKS_PER_TARGET - check))
        for i, target in enumerate(targets):
            ok = i % 10 != 0 or check < CHECKS_PER_TARGET - 5
            monitor.record(
                target.id,
                CheckResult(
                    ok, at, None if ok else "HTTP 503 (expected 200-299)", 40.0 + i % 7
                ),
            )
    return monitor


def _ha_states(count: int) -> list[State]:
    return [
        State(
            f"sensor.bench_{i}",
            "up",
            {
                "friendly_name": f"Target {i:05d} Status",
                "device_class": "enum",
                "options": ["up", "pending", "down", "paused", "unreachable"],
                "acknowledged": False,
                "silenced": False,
                "last_error": None,
            },
        )
        for i in range(count)
    ]


def _best_ms(repeats: int, action: Any) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return min(times)


def _render(message: bytes, repeats: int) -> dict[str, float]:
    bundle = (FRONTEND_DIR / BUNDLE_NAME).read_text(encoding="utf-8")
    found: dict[str, list[float]] = {"compact": [], "detailed": [], "bare": []}
    drawn: dict[str, float] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.set_content(RENDER_PAGE)
            page.add_script_tag(content=bundle, type="module")
            page.wait_for_function("customElements.get('pialert-card') !== undefined")
            page.evaluate(STORE_MESSAGE, message.decode())
            for _ in range(repeats):
                for mode in ("compact", "detailed"):
                    took, drawn[f"{mode} rows"] = page.evaluate(RENDER_CARD, [mode])
                    found[mode].append(took)
                found["bare"].append(page.evaluate(RENDER_BARE))
        finally:
            browser.close()
    return {key: statistics.median(values) for key, values in found.items()} | drawn


def run(quick: bool) -> Result:
    """Measure the feed and the card's rendering."""
    params = QUICK if quick else FULL
    count = int(params["targets"])
    repeats = int(params["repeats"])
    result = Result(NAME, TITLE, params=dict(params))
    now = dt.datetime.now(dt.UTC)
    monitor = _engine(count, now)
    coordinator = cast("PiAlertCoordinator", SimpleNamespace(monitor=monitor))
    snapshot = monitor.snapshot(now)

    def first_message() -> bytes:
        # As the websocket command: find what is stale (nothing once the
        # views are kept), then put the kept views together and encode them.
        feed = CardFeed(coordinator, lambda _: "device")
        feed.views.stale(snapshot, now)
        return json_bytes(event_message(1, {"targets": feed.full(snapshot, now)}))

    # Building every view is done at setup (card_warm), in chunks; before,
    # the first subscriber after a start waited for it.
    shared = SharedViews(coordinator, lambda _: "device")
    ids = list(snapshot.targets)
    chunks = [
        _best_ms(1, lambda c=c: shared.views(snapshot, ids[c : c + BUILD_CHUNK], now))
        for c in range(0, count, BUILD_CHUNK)
    ]
    build_ms = sum(chunks)
    first_ms = _best_ms(repeats, first_message)
    states = _ha_states(count)
    ha_ms = _best_ms(
        repeats,
        lambda: json_bytes(
            event_message(
                1, {"a": {s.entity_id: s.as_compressed_state for s in states}}
            )
        ),
    )
    full = first_message()
    result.add(
        f"subscribe, first message ({count} targets)",
        round(first_ms, 2),
        "ms",
        f"< {GOAL_FIRST_MS:.0f} ms",
        first_ms < GOAL_FIRST_MS,
        note=f"{first_ms / ha_ms:.1f}x HA's subscribe_entities for {count} states "
        f"({ha_ms:.2f} ms); {len(full) / 1024:.0f} KiB",
    )
    result.add(
        f"views built at setup ({count} targets, chunks of {BUILD_CHUNK})",
        round(build_ms, 1),
        "ms",
        note=f"longest chunk {max(chunks):.1f} ms; the first subscriber after a "
        f"start waited for all of it before; now it waits {first_ms:.1f} ms "
        f"({build_ms / first_ms:.0f}x less)",
    )
    later = now + dt.timedelta(seconds=60)
    for target_id in ids:
        monitor.record(target_id, CheckResult(True, later, None, 41.0))
    checked = monitor.snapshot(later)
    stale = shared.stale(checked, later)
    rebuild_ms = _best_ms(1, lambda: shared.views(checked, stale, later))
    result.add(
        "keeping a target's view current (one new check)",
        round(rebuild_ms * 1000 / len(stale), 1),
        "µs",
        note=f"{len(stale)} targets checked once, rebuilt in the background "
        f"in chunks of {BUILD_CHUNK}",
    )
    snapshot, now = checked, later

    feed = CardFeed(coordinator, lambda _: "device")
    feed.full(snapshot, now)
    later = now + dt.timedelta(seconds=60)
    monitor.record("t00001", CheckResult(True, later, None, 47.0))
    changed, removed = feed.changes(monitor.snapshot(later), later)
    change = json_bytes(event_message(1, {"changed": changed, "removed": removed}))
    result.add(
        "one target's change on the wire",
        len(change),
        "bytes",
        f"< {GOAL_CHANGE_BYTES} bytes",
        len(change) < GOAL_CHANGE_BYTES and len(changed) == 1,
        note=f"{len(change) / len(full):.4f}x the full message",
    )

    views = json.loads(full)["event"]["targets"]
    say(f"rendering {len(views)} targets in Chromium, {repeats} times each")
    rendered = _render(full, repeats)
    for mode in ("compact", "detailed"):
        result.add(
            f"card renders {len(views)} targets ({mode})",
            round(rendered[mode], 1),
            "ms",
            f"< {GOAL_RENDER_MS:.0f} ms",
            rendered[mode] < GOAL_RENDER_MS,
            note=f"{rendered[mode] / rendered['bare']:.1f}x plain innerHTML rows "
            f"({rendered['bare']:.1f} ms); {rendered[f'{mode} rows']:.0f} rows drawn "
            "for the screen, the rest as it scrolls",
        )
    return result
