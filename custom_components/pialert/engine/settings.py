"""Each kind's typed settings, parsed once from a target's saved data.

Every field is declared with ``spec``: that one line is the field table the
form, the API, the OpenAPI document and the parser are generated from.
"""

# ``spec`` returns ``dataclasses.field(...)``, which RUF009 cannot see.
# ruff: noqa: RUF009

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
import re
from typing import Any, Final, Self

from .cron import is_cron, is_time_zone
from .fields import (
    METADATA_KEY,
    FieldSpec,
    FieldType,
    build_settings,
    finite_number,
    spec,
)
from .http_assertions import (
    JsonCondition,
    assertion_errors,
    is_header_name,
    is_json_path,
)
from .syntax import (
    is_http_url,
    is_ip,
    is_resolver,
    is_valid_host,
    parse_status_codes,
)

METHODS: Final = ("GET", "HEAD", "POST")
RECORD_TYPES: Final = ("A", "AAAA", "CNAME", "MX", "TXT")
ENTITY_ID: Final = re.compile(r"^[a-z0-9_]+\.[a-z0-9_]+$")
WEEK: Final = 7 * 86400


class EntityCondition(StrEnum):
    """When an entity target fails."""

    UNAVAILABLE = "unavailable"
    EQUALS = "equals"
    NOT_EQUALS = "not_equals"
    ABOVE = "above"
    BELOW = "below"


NUMERIC_CONDITIONS: Final = frozenset({EntityCondition.ABOVE, EntityCondition.BELOW})
COMPARED_CONDITIONS: Final = frozenset(
    {EntityCondition.EQUALS, EntityCondition.NOT_EQUALS}
)


def _host(description: str) -> Any:
    return spec(
        FieldType.TEXT,
        "invalid_host",
        required=True,
        check=is_valid_host,
        description=description,
    )


class Severity(StrEnum):
    """How much a target's failure matters (notification rules pick by it)."""

    CRITICAL = "critical"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class KindSettings:
    """What the settings of every kind share: the severity, parsing from saved data."""

    # Keyword-only so kinds may declare required fields; not compared, so a
    # new severity is not a new check (it keeps the target's state).
    severity: Severity = field(
        default=Severity.CRITICAL,
        kw_only=True,
        compare=False,
        metadata={
            METADATA_KEY: FieldSpec(
                FieldType.CHOICE,
                "invalid_severity",
                default=Severity.CRITICAL.value,
                choices=tuple(Severity),
                convert=Severity,
                description="critical, warning or info: notification rules pick by it.",
            )
        },
    )

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Self:
        """Build settings from a target's saved data; ValueError when invalid."""
        return build_settings(cls, data)

    @staticmethod
    def cross_errors(values: Mapping[str, Any]) -> dict[str, str]:
        """Return {field: error_key} for rules between fields (valid ones given)."""
        return {}


@dataclass(frozen=True, slots=True)
class HttpSettings(KindSettings):
    """What an HTTP target requests and what counts as up."""

    url: str = spec(FieldType.URL, "invalid_url", required=True, check=is_http_url)
    method: str = spec(
        FieldType.CHOICE, "invalid_method", default="GET", choices=METHODS
    )
    accepted_status: tuple[tuple[int, int], ...] = spec(
        FieldType.TEXT,
        "invalid_status_codes",
        default="200-299",
        convert=parse_status_codes,
        description="Codes or ranges, for example 200-299, 301.",
    )
    keyword: str | None = spec(FieldType.TEXT, description="Text that must appear.")
    keyword_absent: bool = spec(FieldType.BOOLEAN, default=False)
    verify_ssl: bool = spec(FieldType.BOOLEAN, default=True)
    cert_expiry_days: int | None = spec(
        FieldType.INTEGER,
        "invalid_cert_expiry_days",
        minimum=1,
        maximum=365,
        unit="d",
        description="Fail when the certificate expires within this many days.",
    )
    # Assertions (engine/http_assertions.py): a JSON value, a header.
    json_path: str | None = spec(
        FieldType.TEXT,
        "invalid_json_path",
        check=is_json_path,
        description="Dotted keys, list indexes as numbers: queue.length, items.0.state.",
    )
    json_condition: JsonCondition = spec(
        FieldType.CHOICE,
        "invalid_json_condition",
        default=JsonCondition.EQUALS.value,
        choices=tuple(JsonCondition),
        convert=JsonCondition,
    )
    json_value: str | None = spec(FieldType.TEXT_OR_NUMBER, "json_value_required")
    header_name: str | None = spec(
        FieldType.TEXT,
        "invalid_header_name",
        check=is_header_name,
        description="A header the response must have.",
    )
    header_value: str | None = spec(
        FieldType.TEXT, description="Text the header must contain (any case)."
    )

    @staticmethod
    def cross_errors(values: Mapping[str, Any]) -> dict[str, str]:
        """Refuse body checks with HEAD, and assertions missing a part."""
        errors = assertion_errors(values)
        if values.get("method") == "HEAD" and values.get("keyword") is not None:
            errors["keyword"] = "keyword_with_head"
        return errors

    def status_accepted(self, status: int) -> bool:
        """Return whether ``status`` is one of the accepted codes."""
        return any(low <= status <= high for low, high in self.accepted_status)


@dataclass(frozen=True, slots=True)
class TcpSettings(KindSettings):
    """What a TCP target connects to."""

    host: str = _host("Host name or IP address.")
    # No default: the form's box starts empty instead of at its minimum.
    port: int = spec(
        FieldType.INTEGER, "invalid_port", required=True, minimum=1, maximum=65535
    )


@dataclass(frozen=True, slots=True)
class PingSettings(KindSettings):
    """What a ping target pings, and how many times per check."""

    host: str = _host("Host name or IP address.")
    count: int = spec(
        FieldType.INTEGER, "invalid_count", default=3, minimum=1, maximum=10
    )


def _is_hostname(text: str) -> bool:
    return is_valid_host(text) and not is_ip(text)


def _expected_fits(record_type: str, expected: str) -> bool:
    """Return whether ``expected`` could be an answer of ``record_type``."""
    if record_type == "A":
        return is_ip(expected) and ":" not in expected
    if record_type == "AAAA":
        return is_ip(expected) and ":" in expected
    if record_type == "TXT":
        return True
    return is_valid_host(expected)


@dataclass(frozen=True, slots=True)
class DnsSettings(KindSettings):
    """What a DNS target looks up, where, and what answer is expected."""

    hostname: str = spec(
        FieldType.TEXT,
        "invalid_host",
        required=True,
        check=_is_hostname,
        description="The name to look up (not an IP address).",
    )
    record_type: str = spec(
        FieldType.CHOICE, "invalid_record_type", default="A", choices=RECORD_TYPES
    )
    expected: str | None = spec(FieldType.TEXT, "invalid_expected")
    resolver: str | None = spec(
        FieldType.TEXT,
        "invalid_resolver",
        check=is_resolver,
        description="IP, IPv4:port or [IPv6]:port.",
    )

    @staticmethod
    def cross_errors(values: Mapping[str, Any]) -> dict[str, str]:
        """Refuse an expected answer the record type cannot give."""
        expected, record_type = values.get("expected"), values.get("record_type")
        if (
            expected is not None
            and record_type is not None
            and not _expected_fits(record_type, expected)
        ):
            return {"expected": "invalid_expected"}
        return {}


@dataclass(frozen=True, slots=True)
class HeartbeatSettings(KindSettings):
    """How often a heartbeat is expected, and its secret ping token."""

    period: int = spec(
        FieldType.INTEGER,
        "invalid_period",
        required=True,
        default=3600,
        minimum=10,
        maximum=31 * 86400,
        unit="s",
        description="Seconds between expected pings.",
    )
    grace: int = spec(
        FieldType.INTEGER,
        "invalid_grace",
        required=True,
        default=300,
        minimum=0,
        maximum=WEEK,
        unit="s",
    )
    token: str = spec(FieldType.SECRET, required=True)
    schedule: str | None = spec(
        FieldType.TEXT,
        "invalid_schedule",
        check=is_cron,
        description="Cron expression (5 fields) instead of the period, "
        "for example 0 3 * * *.",
    )
    time_zone: str | None = spec(
        FieldType.TEXT,
        "invalid_time_zone",
        check=is_time_zone,
        description="Time zone of the schedule, for example Europe/Berlin "
        "(Home Assistant's when empty).",
    )


def condition_field() -> Any:
    """Declare the condition field of entity targets and entity groups."""
    return spec(
        FieldType.CHOICE,
        "invalid_condition",
        default=EntityCondition.UNAVAILABLE.value,
        choices=tuple(EntityCondition),
        convert=EntityCondition,
    )


def held_for_field(default: int, description: str = "") -> Any:
    """Declare a "for at least N seconds" field."""
    return spec(
        FieldType.INTEGER,
        "invalid_duration",
        default=default,
        minimum=0,
        maximum=WEEK,
        unit="s",
        description=description,
    )


@dataclass(frozen=True, slots=True)
class EntitySettings(KindSettings):
    """Which entity to watch and what counts as a failure."""

    entity_id: str = spec(
        FieldType.ENTITY,
        "invalid_entity_id",
        required=True,
        check=ENTITY_ID.fullmatch,
    )
    condition: EntityCondition = condition_field()
    value: str | None = spec(FieldType.TEXT_OR_NUMBER, "value_required")
    for_seconds: int = held_for_field(0)

    @staticmethod
    def cross_errors(values: Mapping[str, Any]) -> dict[str, str]:
        """Require a value for compared conditions, a number for numeric ones."""
        condition, value = values.get("condition"), values.get("value")
        if condition in NUMERIC_CONDITIONS and finite_number(value) is None:
            return {"value": "value_not_numeric"}
        if condition in COMPARED_CONDITIONS and value is None:
            return {"value": "value_required"}
        return {}
