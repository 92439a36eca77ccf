"""A status page as server-rendered HTML: no scripts, refreshes itself.

Rendered from the page's public JSON body (``engine.page_view``), so it shows
exactly what the JSON does. Every text is escaped.
"""

from __future__ import annotations

from datetime import datetime
from html import escape
from typing import Any, Final

from .page_bars import BAR_STYLE, NO_DATA_TEXT, render_bars

REFRESH_SECONDS: Final = 60
# While the hub reloads the last page is shown: look again soon.
REFRESHING_SECONDS: Final = 5

STATE_TEXT: Final = {
    "operational": "Operational",
    "degraded": "Degraded",
    "partial_outage": "Partial outage",
    "major_outage": "Major outage",
    "outage": "Outage",
    "maintenance": "Paused",
    "unknown": "No data yet",
    "no_data": NO_DATA_TEXT,
}
PAGE_HEADLINE: Final = {
    "operational": "All systems operational",
    "degraded": "Some systems are degraded",
    "partial_outage": "Partial outage",
    "major_outage": "Major outage",
    "maintenance": "Under maintenance",
    "unknown": "Waiting for the first checks",
}
INCIDENT_TEXT: Final = {
    "investigating": "Investigating",
    "identified": "Identified",
    "monitoring": "Monitoring",
    "resolved": "Resolved",
}

# Home Assistant's own state colours; light and dark follow the visitor's system.
_STYLE: Final = (
    """
:root{color-scheme:light dark;--bg:#fafafa;--card:#fff;--text:#212121;--muted:#616161;
--line:#e0e0e0;--operational:#43a047;--degraded:#ffa600;--outage:#db4437;
--maintenance:#039be5;--unknown:#9e9e9e;--no_data:#d6d6d6}
@media (prefers-color-scheme:dark){:root{--bg:#111;--card:#1c1c1c;--text:#e1e1e1;
--muted:#9b9b9b;--line:#333;--no_data:#3a3a3a}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--text);
font:16px/1.5 Roboto,"Segoe UI",system-ui,-apple-system,sans-serif}
main{max-width:860px;margin:0 auto;padding:24px 16px 48px}
h1{font-size:1.75rem;margin:0 0 16px}
h2{font-size:1.15rem;margin:0}
.card{background:var(--card);border:1px solid var(--line);border-radius:12px;
padding:16px;margin:0 0 16px}
.banner{color:#fff;font-weight:500;font-size:1.1rem;border:0}
.banner.operational{background:var(--operational)}
.banner.degraded{background:#b26f00}
.banner.partial_outage,.banner.major_outage{background:var(--outage)}
.banner.maintenance{background:#0277bd}.banner.unknown{background:#616161}
.group-head{display:flex;justify-content:space-between;gap:8px;align-items:baseline}
ul{list-style:none;margin:0;padding:0}
li.target{padding:12px 0;border-top:1px solid var(--line)}
li.target:first-child{border-top:0}
.row{display:flex;flex-wrap:wrap;justify-content:space-between;gap:4px 12px}
.name{font-weight:500}
.state{font-weight:500;white-space:nowrap}
.state::before{content:"";display:inline-block;width:.7em;height:.7em;
border-radius:50%;margin-right:.4em;background:var(--unknown)}
.state.operational::before{background:var(--operational)}
.state.degraded::before{background:var(--degraded)}
.state.outage::before,.state.partial_outage::before,
.state.major_outage::before{background:var(--outage)}
.state.maintenance::before{background:var(--maintenance)}
.meta{color:var(--muted);font-size:.875rem}
.axis{display:flex;justify-content:space-between;color:var(--muted);font-size:.75rem}
.incident h2{display:flex;gap:8px;align-items:center}
.update{margin:8px 0 0}.update time{color:var(--muted);font-size:.875rem}
footer{color:var(--muted);font-size:.875rem;text-align:center}
"""
    + BAR_STYLE
)


def _target(target: dict[str, Any]) -> str:
    state = target["state"]
    meta = []
    uptime = target.get("uptime")
    if uptime is not None:
        for window, label in (("24h", "24 h"), ("30d", "30 days"), ("90d", "90 days")):
            value = uptime.get(window)
            if value is not None:
                meta.append(f"{value:.2f} % uptime ({label})")
    if "response_time_ms" in target and target["response_time_ms"] is not None:
        meta.append(f"{target['response_time_ms']} ms response time")
    if target.get("address"):
        meta.append(escape(target["address"]))
    if target.get("error"):
        meta.append(f"Last error: {escape(target['error'])}")
    parts = [
        '<li class="target"><div class="row">'
        f'<span class="name">{escape(target["name"])}</span>'
        f'<span class="state {state}">{STATE_TEXT.get(state, state)}</span></div>'
    ]
    if meta:
        parts.append(f'<div class="meta">{" · ".join(meta)}</div>')
    if days := target.get("days"):
        parts.append(render_bars(days))
    parts.append("</li>")
    return "".join(parts)


def _incident(incident: dict[str, Any]) -> str:
    updates = "".join(
        f'<p class="update"><strong>{INCIDENT_TEXT[u["status"]]}</strong> — '
        f"{escape(u['message'])}<br>"
        f'<time datetime="{u["at"]}">{_when(u["at"])}</time></p>'
        for u in incident["updates"]
    )
    status = incident["status"]
    return (
        f'<section class="card incident" aria-label="Incident">'
        f"<h2>{INCIDENT_TEXT[status]}</h2>{updates}</section>"
    )


def _when(iso_text: str) -> str:
    return datetime.fromisoformat(iso_text).strftime("%Y-%m-%d %H:%M UTC")


def render_page(body: dict[str, Any], *, refreshing: bool = False) -> str:
    """Return the page's HTML document (``refreshing``: an earlier one, marked)."""
    state = body["state"]
    refresh = REFRESHING_SECONDS if refreshing else REFRESH_SECONDS
    note = (
        '<p class="card note" role="status">PiAlert is restarting: this is the '
        f"page as of {_when(body['updated_at'])}. It refreshes in a few seconds.</p>"
        if refreshing
        else ""
    )
    title = escape(body["title"])
    groups = "".join(
        f'<section class="card" aria-labelledby="g{index}">'
        f'<div class="group-head"><h2 id="g{index}">{escape(group["name"])}</h2>'
        f'<span class="state {group["state"]}">'
        f"{STATE_TEXT.get(group['state'], group['state'])}</span></div>"
        f"<ul>{''.join(_target(t) for t in group['targets'])}</ul></section>"
        for index, group in enumerate(body["groups"])
    )
    active = "".join(_incident(i) for i in body["active_incidents"])
    past = "".join(_incident(i) for i in body["incident_history"])
    history = f'<h2 class="past">Past incidents</h2>{past}' if past else ""
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f'<meta http-equiv="refresh" content="{refresh}">'
        '<meta name="robots" content="noindex">'
        f"<title>{title}</title><style>{_STYLE}</style></head><body><main>"
        f"<h1>{title}</h1>{note}"
        f'<p class="card banner {state}" role="status">'
        f"{PAGE_HEADLINE.get(state, state)}</p>"
        f"{active}{groups}{history}"
        f'<footer>Updated <time datetime="{body["updated_at"]}">'
        f"{_when(body['updated_at'])}</time> · refreshes every minute · "
        "PiAlert</footer></main></body></html>"
    )


def render_message(title: str, message: str) -> str:
    """Return a small page for refusals (private page, unknown page, limits)."""
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head><body><main>"
        f'<h1>{escape(title)}</h1><p class="card">{escape(message)}</p>'
        "</main></body></html>"
    )
