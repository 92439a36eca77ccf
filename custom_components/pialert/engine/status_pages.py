"""Status pages: what a page publishes, parsed once from its saved data.

A page is a config subentry of the hub. It names groups of targets (picked
by id or by tag) and what the public may see of them: the name always,
uptime and response time when chosen, the address and error text only when
chosen. Its incident messages (``page_incidents``) are saved with it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
import re
from typing import Any, Final
from urllib.parse import urlsplit

from .models import Target, TargetKind
from .page_incidents import PageIncident, parse_incidents

CONF_TITLE: Final = "title"
CONF_SLUG: Final = "slug"
CONF_PRIVATE: Final = "private"
CONF_SHOW_UPTIME: Final = "show_uptime"
CONF_SHOW_RESPONSE_TIME: Final = "show_response_time"
CONF_SHOW_DETAILS: Final = "show_details"
CONF_RATE_LIMIT: Final = "rate_limit"
CONF_GROUPS: Final = "groups"
CONF_INCIDENTS: Final = "incidents"
GROUP_NAME: Final = "name"
GROUP_TARGETS: Final = "targets"
GROUP_TAGS: Final = "tags"

# Requests per minute per client address (behind a reverse proxy without
# trusted proxies every visitor shares one address: the page may raise it).
DEFAULT_PAGE_RATE_LIMIT: Final = 600
MIN_PAGE_RATE_LIMIT: Final = 10
MAX_PAGE_RATE_LIMIT: Final = 1_000_000
MAX_TITLE_LENGTH: Final = 100
MAX_GROUPS: Final = 20
SLUG_PATTERN: Final = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")


@dataclass(frozen=True, slots=True)
class PageGroup:
    """A heading on the page and the targets below it."""

    name: str
    target_ids: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()

    def pick(self, targets: Iterable[Target]) -> list[Target]:
        """Return the group's targets: picked ones first, then tagged, by name."""
        by_id = {target.id: target for target in targets}
        picked = [by_id[tid] for tid in self.target_ids if tid in by_id]
        chosen = {target.id for target in picked}
        tagged = sorted(
            (
                target
                for target in by_id.values()
                if target.id not in chosen
                and not set(self.tags).isdisjoint(target.tags)
            ),
            key=lambda target: target.name.casefold(),
        )
        return picked + tagged


@dataclass(frozen=True, slots=True)
class StatusPage:
    """One status page, as configured."""

    id: str
    title: str
    slug: str
    private: bool = False
    show_uptime: bool = True
    show_response_time: bool = False
    show_details: bool = False
    rate_limit: int = DEFAULT_PAGE_RATE_LIMIT
    groups: tuple[PageGroup, ...] = ()
    incidents: tuple[PageIncident, ...] = ()

    def targets(
        self, targets: Iterable[Target]
    ) -> list[tuple[PageGroup, list[Target]]]:
        """Return each group with its targets."""
        known = list(targets)
        return [(group, group.pick(known)) for group in self.groups]

    def target_ids(self, targets: Iterable[Target]) -> set[str]:
        """Return the ids of every target the page shows."""
        return {target.id for _, members in self.targets(targets) for target in members}


def _strings(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list | tuple):
        return ()
    return tuple(
        dict.fromkeys(str(item).strip() for item in value if str(item).strip())
    )


def parse_groups(value: Any) -> tuple[PageGroup, ...]:
    """Return the groups saved in a page's data (unusable entries are skipped)."""
    if not isinstance(value, list):
        return ()
    groups = []
    for raw in value[:MAX_GROUPS]:
        if not isinstance(raw, Mapping):
            continue
        groups.append(
            PageGroup(
                name=str(raw.get(GROUP_NAME) or "").strip(),
                target_ids=_strings(raw.get(GROUP_TARGETS)),
                tags=tuple(tag.lower() for tag in _strings(raw.get(GROUP_TAGS))),
            )
        )
    return tuple(group for group in groups if group.target_ids or group.tags)


def page_from_data(page_id: str, data: Mapping[str, Any]) -> StatusPage:
    """Build a StatusPage from a subentry's saved data."""
    rate_limit = data.get(CONF_RATE_LIMIT, DEFAULT_PAGE_RATE_LIMIT)
    return StatusPage(
        id=page_id,
        title=str(data.get(CONF_TITLE, "")),
        slug=str(data.get(CONF_SLUG, "")),
        private=bool(data.get(CONF_PRIVATE, False)),
        show_uptime=bool(data.get(CONF_SHOW_UPTIME, True)),
        show_response_time=bool(data.get(CONF_SHOW_RESPONSE_TIME, False)),
        show_details=bool(data.get(CONF_SHOW_DETAILS, False)),
        rate_limit=int(rate_limit)
        if isinstance(rate_limit, int | float)
        else DEFAULT_PAGE_RATE_LIMIT,
        groups=parse_groups(data.get(CONF_GROUPS)),
        incidents=parse_incidents(data.get(CONF_INCIDENTS)),
    )


def validate_page(
    data: Mapping[str, Any],
    *,
    page_id: str | None,
    existing: Mapping[str, StatusPage],
    target_ids: Iterable[str],
) -> dict[str, str]:
    """Return {field: error key} for a page's settings (empty when valid)."""
    errors: dict[str, str] = {}
    title = str(data.get(CONF_TITLE, "")).strip()
    if not title or len(title) > MAX_TITLE_LENGTH:
        errors[CONF_TITLE] = "invalid_page_title"
    slug = str(data.get(CONF_SLUG, ""))
    if not SLUG_PATTERN.match(slug):
        errors[CONF_SLUG] = "invalid_slug"
    elif any(page.slug == slug for pid, page in existing.items() if pid != page_id):
        errors[CONF_SLUG] = "slug_taken"
    rate_limit = data.get(CONF_RATE_LIMIT, DEFAULT_PAGE_RATE_LIMIT)
    if (
        not isinstance(rate_limit, int)
        or isinstance(rate_limit, bool)
        or not MIN_PAGE_RATE_LIMIT <= rate_limit <= MAX_PAGE_RATE_LIMIT
    ):
        errors[CONF_RATE_LIMIT] = "invalid_page_rate_limit"
    groups = parse_groups(data.get(CONF_GROUPS))
    if not groups:
        errors[CONF_GROUPS] = "page_without_targets"
    known = set(target_ids)
    if any(tid not in known for group in groups for tid in group.target_ids):
        errors[CONF_GROUPS] = "unknown_page_target"
    return errors


def public_address(target: Target) -> str | None:
    """Return what a page may show as the target's address, if chosen.

    Never credentials, query strings or heartbeat tokens.
    """
    saved = target.saved_settings
    if target.kind is TargetKind.HTTP:
        parts = urlsplit(str(saved.get("url", "")))
        host = parts.hostname or ""
        if parts.port is not None:
            host = f"{host}:{parts.port}"
        return f"{parts.scheme}://{host}{parts.path}"
    if target.kind is TargetKind.TCP:
        return f"{saved.get('host')}:{saved.get('port')}"
    if target.kind in (TargetKind.PING, TargetKind.DNS):
        return str(saved.get("host"))
    if target.kind is TargetKind.ENTITY:
        return str(saved.get("entity_id"))
    return None
