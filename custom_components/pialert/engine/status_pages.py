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

from .errors import RefusedError
from .fields import Field, FieldSpec, FieldType, parse_values
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


def _title_fits(title: str) -> bool:
    return 0 < len(title) <= MAX_TITLE_LENGTH


def is_slug(slug: str) -> bool:
    """Return whether ``slug`` may be a page's address."""
    return SLUG_PATTERN.match(slug) is not None


def _switch(name: str, default: bool, description: str) -> Field:
    return Field(
        name,
        FieldSpec(
            FieldType.BOOLEAN,
            "invalid_page_switch",
            default=default,
            description=description,
        ),
    )


# A page's settings, described once: the subentry form, the API's parsing and
# its OpenAPI schemas are generated from these (groups from GROUP_FIELDS).
PAGE_FIELDS: Final[tuple[Field, ...]] = (
    Field(
        CONF_TITLE,
        FieldSpec(
            FieldType.TEXT,
            "invalid_page_title",
            required=True,
            maximum=MAX_TITLE_LENGTH,
            check=_title_fits,
            description="Shown at the top of the page.",
        ),
    ),
    Field(
        CONF_SLUG,
        FieldSpec(
            FieldType.TEXT,
            "invalid_slug",
            required=True,
            convert=str.lower,
            check=is_slug,
            description="The page's address: /pialert/status/<slug>. Lower-case "
            "letters, digits and dashes; unique among the hub's pages.",
        ),
    ),
    _switch(
        CONF_PRIVATE,
        False,
        "A private page needs a read key or a Home Assistant login.",
    ),
    _switch(CONF_SHOW_UPTIME, True, "Show uptime and the 90-day bars."),
    _switch(CONF_SHOW_RESPONSE_TIME, False, "Show response times."),
    _switch(CONF_SHOW_DETAILS, False, "Show addresses and error texts."),
    Field(
        CONF_RATE_LIMIT,
        FieldSpec(
            FieldType.INTEGER,
            "invalid_page_rate_limit",
            default=DEFAULT_PAGE_RATE_LIMIT,
            minimum=MIN_PAGE_RATE_LIMIT,
            maximum=MAX_PAGE_RATE_LIMIT,
            description="Requests per minute per client address.",
        ),
    ),
)
GROUP_FIELDS: Final[tuple[Field, ...]] = (
    Field(
        GROUP_NAME,
        FieldSpec(
            FieldType.TEXT,
            "invalid_page_groups",
            maximum=MAX_TITLE_LENGTH,
            check=_title_fits,
            description="The group's heading (default: Services, Group 2, ...).",
        ),
    ),
    Field(
        GROUP_TARGETS,
        FieldSpec(
            FieldType.LIST,
            "invalid_page_groups",
            description="Target ids, shown first and in this order.",
        ),
    ),
    Field(
        GROUP_TAGS,
        FieldSpec(
            FieldType.LIST,
            "invalid_page_groups",
            item="tag",
            description="Then the targets with any of these tags, by name.",
        ),
    ),
)
GROUP_KEYS: Final = frozenset(f.name for f in GROUP_FIELDS)


class PageInputError(RefusedError):
    """Page settings that cannot be saved: ``errors`` maps fields to error keys."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        """Keep the field errors (keys of the page form's translated errors)."""
        super().__init__("invalid_status_page")
        self.errors = dict(errors)


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


def default_group_name(index: int) -> str:
    """Return the heading of a group given none (``index`` from 1)."""
    return "Services" if index == 1 else f"Group {index}"


def clean_groups(raw: Any) -> list[dict[str, Any]] | None:
    """Return given groups as saved (empty ones left out); None when malformed."""
    if not isinstance(raw, list) or len(raw) > MAX_GROUPS:
        return None
    groups = []
    for index, item in enumerate(raw, start=1):
        if not isinstance(item, Mapping) or not GROUP_KEYS.issuperset(item):
            return None
        values, errors = parse_values(GROUP_FIELDS, item)
        if errors:
            return None
        group = {
            GROUP_NAME: values.get(GROUP_NAME) or default_group_name(index),
            # Picked targets keep their order; the parsed list is sorted.
            GROUP_TARGETS: list(
                dict.fromkeys(t.strip() for t in item.get(GROUP_TARGETS) or ())
            ),
            GROUP_TAGS: sorted({t.lower() for t in values.get(GROUP_TAGS, ())}),
        }
        if group[GROUP_TARGETS] or group[GROUP_TAGS]:
            groups.append(group)
    return groups


def check_page(
    data: Mapping[str, Any],
    *,
    page_id: str | None,
    existing: Mapping[str, StatusPage],
    target_ids: Iterable[str],
) -> dict[str, Any]:
    """Return a page's settings as saved; PageInputError names what is wrong."""
    values, errors = parse_values(PAGE_FIELDS, data)
    cleaned: dict[str, Any] = {
        f.name: values.get(f.name, f.spec.default) for f in PAGE_FIELDS
    }
    slug = cleaned[CONF_SLUG]
    if CONF_SLUG not in errors and any(
        page.slug == slug for pid, page in existing.items() if pid != page_id
    ):
        errors[CONF_SLUG] = "slug_taken"
    groups = clean_groups(data.get(CONF_GROUPS, []))
    known = set(target_ids)
    if groups is None:
        errors[CONF_GROUPS] = "invalid_page_groups"
    elif not groups:
        errors[CONF_GROUPS] = "page_without_targets"
    elif any(tid not in known for group in groups for tid in group[GROUP_TARGETS]):
        errors[CONF_GROUPS] = "unknown_page_target"
    if errors:
        raise PageInputError(errors)
    cleaned[CONF_GROUPS] = groups
    return cleaned


def validate_page(
    data: Mapping[str, Any],
    *,
    page_id: str | None,
    existing: Mapping[str, StatusPage],
    target_ids: Iterable[str],
) -> dict[str, str]:
    """Return {field: error key} for a page's settings (empty when valid)."""
    try:
        check_page(data, page_id=page_id, existing=existing, target_ids=target_ids)
    except PageInputError as err:
        return err.errors
    return {}


def page_settings(page: StatusPage) -> dict[str, Any]:
    """Return a page's settings as the API shows and takes them."""
    settings: dict[str, Any] = {f.name: getattr(page, f.name) for f in PAGE_FIELDS}
    settings[CONF_GROUPS] = [
        {
            GROUP_NAME: group.name,
            GROUP_TARGETS: list(group.target_ids),
            GROUP_TAGS: list(group.tags),
        }
        for group in page.groups
    ]
    return settings


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
