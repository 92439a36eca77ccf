"""Home Assistant's hassfest rules, applied to PiAlert's own files and flows.

hassfest (core's ``script/hassfest``) is not published as a package, so these
tests apply the rules it checks a custom integration against: translation key
casing and text rules (``translations.py``), services and their translations
(``services.py``), icon files (``icons.py``), the quality scale file
(``quality_scale.py``) and the manifest (``manifest.py``). They read the real
files and open the real config, options and subentry flows, so a selector
option, service field or rule that hassfest would reject fails here first.
"""

from __future__ import annotations

import ast
from collections.abc import Awaitable, Callable, Iterator
from functools import cache
from importlib.metadata import PackageNotFoundError, requires
import inspect
import json
from pathlib import Path
import re
import string
import sys
import tomllib
from typing import Any
from unittest.mock import AsyncMock, patch

from awesomeversion import AwesomeVersion, AwesomeVersionStrategy
import homeassistant
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import config_validation as cv, selector
from homeassistant.util.yaml import load_yaml_dict
import probatio as vol
import pytest

from custom_components.pialert import config_flow
from custom_components.pialert.const import DOMAIN, SUBENTRY_TYPE_TARGET
from custom_components.pialert.engine.models import TargetKind

from .conftest import SetupHub

PACKAGE = Path(config_flow.__file__).parent
ROOT = PACKAGE.parent.parent
HA_PACKAGE = Path(homeassistant.__file__).parent

# --- rules shared by every file -----------------------------------------------

# A translation key: lowercase letters, digits, "-" and "_", neither at
# either end nor doubled (hassfest's translation key rule).
TRANSLATION_KEY = re.compile(r"^(?!.*[-_]{2})(?![-_])[a-z0-9_-]+(?<![-_])$")
URL_IN_TEXT = re.compile(
    r"((ftp|ftps|scp|http|https|mqtt|mqtts|socket|socks5)://|www\.)"
    r"[a-z0-9]+([-.][a-z0-9]+)*\.[a-z]{2,5}(:[0-9]{1,5})?(/.*)?",
    re.IGNORECASE,
)


def translation_key(value: Any) -> str:
    """Accept a key the translation tooling accepts."""
    if not isinstance(value, str) or not TRANSLATION_KEY.match(value):
        raise vol.Invalid(
            f"invalid translation key {value!r}: use lowercase a-z, 0-9, - and _"
        )
    return value


def _text(*, placeholders: bool) -> Callable[[Any], str]:
    """A translated text: no HTML, URLs, padding or malformed placeholders."""

    def validate(value: Any) -> str:
        text = cv.string_with_no_html(value)
        if text != text.strip():
            raise vol.Invalid("leading or trailing spaces")
        if URL_IN_TEXT.search(text):
            raise vol.Invalid("a URL belongs in a description placeholder")
        if re.search(r"'\{\w+\}'", text):
            raise vol.Invalid("placeholder inside single quotes")
        if re.search(r"(.+\[%)|(%\].+)", text):
            raise vol.Invalid("combined translation reference")
        for _, field, _, _ in string.Formatter().parse(text):
            if field and not placeholders:
                raise vol.Invalid("placeholders are not allowed here")
            if field and not field.isidentifier():
                raise vol.Invalid(f"placeholder {{{field}}} is not an identifier")
        return text

    return validate


TEXT = _text(placeholders=True)
PLAIN_TEXT = _text(placeholders=False)


def keyed(value_schema: Any, key: Any = translation_key) -> Any:
    """A mapping whose keys pass ``key`` and values pass ``value_schema``."""
    return cv.schema_with_slug_keys(value_schema, slug_validator=key)


def _problems(schema: Any, data: Any) -> list[str]:
    try:
        schema(data)
    except vol.MultipleInvalid as err:
        return sorted(str(error) for error in err.errors)
    except vol.Invalid as err:
        return [str(err)]
    return []


# --- translations/en.json ---------------------------------------------------------


def _data_descriptions_match(value: dict[str, Any]) -> dict[str, Any]:
    for step_id, step in value.get("step", {}).items():
        if extra := set(step.get("data_description", {})) - set(step.get("data", {})):
            raise vol.Invalid(f"step {step_id}: data_description without data {extra}")
    return value


def _flow_schema(*, subentry: bool) -> Any:
    fields = {vol.Optional("data"): {str: TEXT}, vol.Optional("description"): TEXT}
    schema: dict[Any, Any] = {
        vol.Optional("flow_title"): TEXT,
        vol.Required("step"): {
            str: {
                vol.Optional("title"): TEXT,
                vol.Optional("description"): TEXT,
                vol.Optional("data"): {str: TEXT},
                vol.Optional("data_description"): {str: TEXT},
                vol.Optional("menu_options"): {str: TEXT},
                vol.Optional("menu_option_descriptions"): {str: TEXT},
                vol.Optional("submit"): TEXT,
                vol.Optional("sections"): {
                    str: {
                        **fields,
                        vol.Optional("data_description"): {str: TEXT},
                        vol.Optional("name"): TEXT,
                    }
                },
            }
        },
        vol.Optional("error"): {str: TEXT},
        vol.Optional("abort"): {str: TEXT},
        vol.Optional("progress"): {str: TEXT},
        vol.Optional("create_entry"): {str: TEXT},
    }
    if subentry:
        schema[vol.Required("entry_type")] = TEXT
        schema[vol.Required("initiate_flow")] = {vol.Required("user"): TEXT, str: TEXT}
    else:
        schema[vol.Optional("initiate_flow")] = {vol.Required("user"): TEXT}
    return vol.All(vol.Schema(schema), _data_descriptions_match)


def _one_of(*keys: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    def validate(value: dict[str, Any]) -> dict[str, Any]:
        if sum(key in value for key in keys) != 1:
            raise vol.Invalid(f"needs exactly one of {keys}")
        return value

    return validate


SERVICE_FIELDS = keyed(
    {
        vol.Required("name"): str,
        vol.Required("description"): TEXT,
        vol.Optional("example"): TEXT,
    }
)
STATES = keyed(PLAIN_TEXT)

TRANSLATIONS_SCHEMA = vol.Schema(
    {
        vol.Optional("title"): TEXT,
        vol.Optional("config"): _flow_schema(subentry=False),
        vol.Optional("config_subentries"): keyed(
            _flow_schema(subentry=True), vol.Any("_", cv.slug)
        ),
        vol.Optional("options"): _flow_schema(subentry=False),
        vol.Optional("selector"): keyed(
            {
                vol.Optional("options"): keyed(TEXT),
                vol.Optional("choices"): keyed(TEXT),
                vol.Optional("unit_of_measurement"): keyed(TEXT),
                vol.Optional("fields"): keyed(
                    {vol.Required("name"): str, vol.Required("description"): TEXT}
                ),
            },
            vol.Any("_", cv.slug),
        ),
        vol.Optional("issues"): {
            str: vol.All(
                _one_of("description", "fix_flow"),
                {
                    vol.Required("title"): TEXT,
                    vol.Optional("description"): TEXT,
                    vol.Optional("fix_flow"): _flow_schema(subentry=False),
                },
            )
        },
        vol.Optional("device"): keyed({vol.Optional("name"): TEXT}),
        vol.Optional("entity"): keyed(
            keyed(
                {
                    vol.Optional("name"): TEXT,
                    vol.Optional("state"): STATES,
                    vol.Optional("state_attributes"): keyed(
                        {
                            vol.Optional("name"): PLAIN_TEXT,
                            vol.Optional("state"): STATES,
                        }
                    ),
                    vol.Optional("unit_of_measurement"): PLAIN_TEXT,
                }
            ),
            cv.slug,
        ),
        vol.Optional("exceptions"): keyed({vol.Optional("message"): TEXT}, cv.slug),
        vol.Optional("services"): keyed(
            {
                vol.Required("name"): TEXT,
                vol.Required("description"): TEXT,
                vol.Optional("fields"): SERVICE_FIELDS,
                vol.Optional("sections"): keyed(
                    {vol.Required("name"): str, vol.Optional("description"): TEXT}
                ),
            }
        ),
    }
)


@cache
def english() -> dict[str, Any]:
    """The English translations (custom integrations ship no strings.json)."""
    return json.loads((PACKAGE / "translations/en.json").read_text(encoding="utf-8"))


def test_translations_follow_hassfest_rules() -> None:
    """Keys are lowercase translation keys; texts are plain; the shape is known."""
    assert _problems(TRANSLATIONS_SCHEMA, english()) == []


# --- the flows' forms and their selectors ----------------------------------------


@pytest.fixture(autouse=True)
def no_icmp_privilege_probe() -> Iterator[None]:
    """A hub with a ping target asks for a raw ICMP socket, which tests may not open."""
    with patch(
        "custom_components.pialert.engine.probes.ping.detect_privilege",
        AsyncMock(return_value=False),
    ):
        yield


PAUSED_TARGETS: dict[TargetKind, dict[str, Any]] = {
    TargetKind.HTTP: {"url": "http://127.0.0.1:9/", "method": "HEAD"},
    TargetKind.TCP: {"host": "127.0.0.1", "port": 9},
    TargetKind.PING: {"host": "127.0.0.1", "count": 1},
    TargetKind.DNS: {"hostname": "example.org", "record_type": "AAAA"},
    TargetKind.HEARTBEAT: {"period": 3600, "grace": 60, "token": "t0ken"},
    TargetKind.ENTITY: {"entity_id": "sensor.cpu", "condition": "unavailable"},
    TargetKind.ENTITY_GROUP: {"domains": ["sensor"], "rule": "share", "share": 50},
    TargetKind.INTEGRATION_HEALTH: {"integrations": ["zwave_js"], "failed_for": 60},
}


async def _hub_with_one_target_per_kind(setup_hub: SetupHub) -> Any:
    """A hub with a paused target of each kind (paused: nothing is probed)."""
    return await setup_hub(
        *(
            {"id": kind.value, "kind": kind.value, "name": kind.value, "enabled": False}
            | settings
            for kind, settings in PAUSED_TARGETS.items()
        )
    )


async def _walk_menus(
    manager: Any,
    start: Callable[[], Awaitable[Any]],
    section: str,
    shown: list[tuple[str, Any]],
    path: tuple[str, ...] = (),
) -> None:
    """Record the step reached through ``path``, then every menu choice below it."""
    result = await start()
    for step in path:
        result = await manager.async_configure(
            result["flow_id"], {"next_step_id": step}
        )
    shown.append((section, result))
    if result["type"] is FlowResultType.MENU:
        for option in result["menu_options"]:
            await _walk_menus(manager, start, section, shown, (*path, option))


async def _forms(hass: HomeAssistant, setup_hub: SetupHub) -> list[tuple[str, Any]]:
    """Open every form and menu of every flow; return (translation section, result)."""
    shown: list[tuple[str, Any]] = []
    flows = hass.config_entries.flow
    await _walk_menus(
        flows,
        lambda: flows.async_init(DOMAIN, context={"source": "user"}),
        "config",
        shown,
    )
    entry = await _hub_with_one_target_per_kind(setup_hub)
    # A key makes the options flow offer to manage keys too.
    await hass.services.async_call(
        DOMAIN, "create_api_key", {"name": "relay"}, blocking=True, return_response=True
    )

    options = hass.config_entries.options
    await _walk_menus(
        options, lambda: options.async_init(entry.entry_id), "options", shown
    )
    section = f"config_subentries.{SUBENTRY_TYPE_TARGET}"
    subentries = hass.config_entries.subentries
    await _walk_menus(
        subentries,
        lambda: subentries.async_init(
            (entry.entry_id, SUBENTRY_TYPE_TARGET), context={"source": "user"}
        ),
        section,
        shown,
    )
    for kind in TargetKind:
        result = await subentries.async_init(
            (entry.entry_id, SUBENTRY_TYPE_TARGET),
            context={"source": "reconfigure", "subentry_id": kind.value},
        )
        shown.append((section, result))
    return shown


def _section(path: str) -> dict[str, Any]:
    node: dict[str, Any] = english()
    for part in path.split("."):
        node = node[part]
    return node


def _select_selectors(result: Any) -> Iterator[tuple[str, selector.SelectSelector]]:
    for marker, field_selector in result["data_schema"].schema.items():
        if isinstance(field_selector, selector.SelectSelector):
            yield str(marker), field_selector


def _option_values(field_selector: selector.SelectSelector) -> list[str]:
    return [
        option if isinstance(option, str) else option["value"]
        for option in field_selector.config["options"]
    ]


async def test_every_form_field_select_option_and_menu_is_translated(
    hass: HomeAssistant, setup_hub: SetupHub
) -> None:
    """What the flows really show has English text; selector options are keys.

    The frontend looks a select option up under its selector's translation key
    and hassfest only accepts lowercase option keys there, so the option values
    themselves must be valid translation keys.
    """
    problems: list[str] = []
    forms = await _forms(hass, setup_hub)
    assert {result["type"] for _, result in forms} == {
        FlowResultType.FORM,
        FlowResultType.MENU,
    }
    for section, result in forms:
        where = f"{section}.step.{result['step_id']}"
        step = _section(section)["step"].get(result["step_id"])
        if step is None:
            problems.append(f"{where}: no translation")
            continue
        if result["type"] is FlowResultType.MENU:
            options = result["menu_options"]
            missing = set(options) - set(step.get("menu_options", {}))
            problems += [f"{where}: menu option {key} untranslated" for key in missing]
            continue
        if result["data_schema"] is None:
            continue
        labels = step.get("data", {})
        for marker in result["data_schema"].schema:
            if str(marker) not in labels:
                problems.append(f"{where}: field {marker} has no label")
        for field, field_selector in _select_selectors(result):
            key = field_selector.config.get("translation_key")
            if key is None:
                continue  # labelled options (targets, keys) need no translation
            texts = english().get("selector", {}).get(key, {}).get("options", {})
            for value in _option_values(field_selector):
                if not TRANSLATION_KEY.match(value):
                    problems.append(f"{where}: {field} option {value!r} is no key")
                if value not in texts:
                    problems.append(f"{where}: {field} option {value!r} untranslated")
    assert problems == []


async def test_stored_values_show_as_their_option_and_save_unchanged(
    hass: HomeAssistant, setup_hub: SetupHub
) -> None:
    """Stored "HEAD"/"AAAA" are shown as the lowercase option and saved back as is.

    Options are lowercase keys, but targets, the API and the engine keep the
    protocol's spelling: the form converts both ways.
    """
    entry = await _hub_with_one_target_per_kind(setup_hub)
    subentries = hass.config_entries.subentries
    for kind, field, stored in (
        (TargetKind.HTTP, "method", "HEAD"),
        (TargetKind.DNS, "record_type", "AAAA"),
    ):
        result = await subentries.async_init(
            (entry.entry_id, SUBENTRY_TYPE_TARGET),
            context={"source": "reconfigure", "subentry_id": kind.value},
        )
        schema = result["data_schema"].schema
        marker = next(m for m in schema if str(m) == field)
        shown = marker.description["suggested_value"]
        assert shown == stored.lower()
        assert shown in _option_values(schema[marker])
        assert marker.default() in _option_values(schema[marker])

        suggested = {
            str(m): m.description["suggested_value"]
            for m in schema
            if m.description and "suggested_value" in m.description
        }
        result = await subentries.async_configure(result["flow_id"], suggested)
        assert result["type"] is FlowResultType.ABORT, result.get("errors")
        assert entry.subentries[kind.value].data[field] == stored
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED


# --- services.yaml --------------------------------------------------------------


def _not_none(value: Any) -> Any:
    if value is None:
        raise vol.Invalid("value cannot be empty")
    return value


def _field_schema(*, targeted: bool) -> vol.Schema:
    schema: dict[Any, Any] = {
        vol.Optional("name"): str,
        vol.Optional("description"): str,
        vol.Optional("example"): _not_none,
        vol.Optional("default"): _not_none,
        vol.Optional("required"): bool,
        vol.Optional("advanced"): bool,
        vol.Optional("selector"): selector.validate_selector,
    }
    if targeted:
        schema[vol.Optional("filter")] = dict
    return vol.Schema(schema)


def _service_schema(*, targeted: bool) -> vol.Schema:
    schema: dict[Any, Any] = {
        vol.Optional("name"): str,
        vol.Optional("description"): str,
        vol.Optional("fields"): {str: _field_schema(targeted=targeted)},
    }
    if targeted:
        schema[vol.Required("target")] = selector.TargetSelector.CONFIG_SCHEMA
    return vol.Schema(schema)


SERVICES_SCHEMA = vol.Schema(
    {
        cv.slug: vol.Any(
            _service_schema(targeted=True), _service_schema(targeted=False), None
        )
    }
)


@cache
def services_yaml() -> dict[str, Any]:
    """services.yaml, read with Home Assistant's own loader."""
    return dict(load_yaml_dict(str(PACKAGE / "services.yaml")))


def test_services_yaml_is_valid_and_fully_translated() -> None:
    """Every service, field and select option has English text, and no more."""
    services = services_yaml()
    assert _problems(SERVICES_SCHEMA, services) == []
    texts = english().get("services", {})
    problems = [
        f"{name}: translated but not in services.yaml"
        for name in texts.keys() - services.keys()
    ]
    for name, spec in services.items():
        text = texts.get(name, {})
        problems += [
            f"{name}: no {key}" for key in ("name", "description") if key not in text
        ]
        fields = (spec or {}).get("fields", {})
        field_texts = text.get("fields", {})
        problems += [
            f"{name}.{f}: translated but not a field"
            for f in field_texts.keys() - fields.keys()
        ]
        for field, field_spec in fields.items():
            problems += [
                f"{name}.{field}: no {key}"
                for key in ("name", "description")
                if key not in field_texts.get(field, {})
            ]
            select = (field_spec.get("selector") or {}).get("select")
            if select and (key := select.get("translation_key")):
                options = english().get("selector", {}).get(key, {}).get("options", {})
                for option in select["options"]:
                    value = option if isinstance(option, str) else option["value"]
                    if not TRANSLATION_KEY.match(value) or value not in options:
                        problems.append(
                            f"{name}.{field}: option {value!r} not a translated key"
                        )
    assert problems == []


async def test_registered_services_match_services_yaml(
    hass: HomeAssistant, setup_hub: SetupHub
) -> None:
    """services.yaml describes exactly the services PiAlert registers."""
    await setup_hub()
    registered = hass.services.async_services_for_domain(DOMAIN)
    assert sorted(registered) == sorted(services_yaml())


# --- icons.json -------------------------------------------------------------------


def mdi_icon(value: Any) -> str:
    """An icon from Material Design Icons."""
    icon = cv.string_with_no_html(value)
    if not icon.startswith("mdi:"):
        raise vol.Invalid(f"{icon!r} is not an mdi: icon")
    return icon


def _no_state_icon_equal_to_default(value: dict[str, Any]) -> dict[str, Any]:
    for key, entity in value.items():
        default = entity.get("default")
        for state, icon in entity.get("state", {}).items():
            if default and icon == default:
                raise vol.Invalid(f"{key}.{state} repeats the default icon")
    return value


ENTITY_ICONS = {
    vol.Optional("default"): mdi_icon,
    vol.Optional("state"): keyed(mdi_icon),
    vol.Optional("state_attributes"): keyed(
        {vol.Optional("default"): mdi_icon, vol.Optional("state"): keyed(mdi_icon)}
    ),
}
ICONS_SCHEMA = vol.Schema(
    {
        vol.Optional("entity"): keyed(
            vol.All(keyed(ENTITY_ICONS), _no_state_icon_equal_to_default), cv.slug
        ),
        vol.Optional("services"): keyed(
            {
                vol.Optional("service"): mdi_icon,
                vol.Optional("sections"): keyed(mdi_icon),
            }
        ),
    }
)


def test_icons_follow_hassfest_rules() -> None:
    """mdi: icons; every service has one; entity keys and states are translated ones."""
    icons = json.loads((PACKAGE / "icons.json").read_text(encoding="utf-8"))
    assert _problems(ICONS_SCHEMA, icons) == []
    service_icons = icons.get("services", {})
    assert sorted(service_icons) == sorted(services_yaml())
    assert all("service" in icon for icon in service_icons.values())
    problems = []
    entity_texts = english().get("entity", {})
    for platform, entities in icons.get("entity", {}).items():
        for key, entity_icons in entities.items():
            text = entity_texts.get(platform, {}).get(key)
            if text is None:
                problems.append(f"{platform}.{key}: no such translation key")
                continue
            if "state" in text:
                problems += [
                    f"{platform}.{key}: icon for untranslated state {state}"
                    for state in entity_icons.get("state", {}).keys()
                    - text["state"].keys()
                ]
    assert problems == []


# --- quality_scale.yaml ----------------------------------------------------------


@cache
def quality_scale_rules() -> frozenset[str]:
    """The rules of the installed Home Assistant's quality scale.

    hassfest keeps the list in code that is not shipped; every core integration's
    quality_scale.yaml that is shipped lists every rule, so their common keys
    are the list this Home Assistant version knows.
    """
    files = sorted((HA_PACKAGE / "components").glob("*/quality_scale.yaml"))
    common: set[str] | None = None
    for path in files:
        rules = set(load_yaml_dict(str(path))["rules"])
        common = rules if common is None else common & rules
    assert common, "no quality_scale.yaml shipped with Home Assistant"
    return frozenset(common)


RULE_STATUS = vol.Any(
    vol.In(["todo", "done"]),
    vol.Schema(
        {vol.Required("status"): vol.In(["todo", "done"]), vol.Optional("comment"): str}
    ),
    vol.Schema({vol.Required("status"): "exempt", vol.Required("comment"): str}),
)


@cache
def quality_scale() -> dict[str, dict[str, str]]:
    """Each rule as {"status": ..., "comment": ...}."""
    rules = load_yaml_dict(str(PACKAGE / "quality_scale.yaml"))["rules"]
    return {
        name: dict(value) if isinstance(value, dict) else {"status": value}
        for name, value in rules.items()
    }


def test_quality_scale_lists_every_rule_with_a_valid_status() -> None:
    """Each rule of this Home Assistant version, with done/todo or a justified exempt."""
    rules = load_yaml_dict(str(PACKAGE / "quality_scale.yaml"))["rules"]
    known = quality_scale_rules()
    assert {"docs-triggers", "docs-conditions", "strict-typing"} <= known
    assert sorted(known - rules.keys()) == []
    assert sorted(rules.keys() - known) == []
    assert _problems(vol.Schema({str: RULE_STATUS}), dict(rules)) == []


def _source(name: str) -> str:
    return (PACKAGE / name).read_text(encoding="utf-8")


def _status(rule: str) -> str:
    return quality_scale()[rule]["status"]


def test_quality_scale_statuses_are_true() -> None:
    """Statuses that can be checked against the code say what the code does."""
    modules = {path.name for path in PACKAGE.glob("*.py")}
    # No triggers or conditions of its own: nothing to document.
    has_triggers = (
        bool({"trigger.py", "device_trigger.py"} & modules)
        or (PACKAGE / "triggers.yaml").exists()
    )
    has_conditions = (
        bool({"condition.py", "device_condition.py"} & modules)
        or (PACKAGE / "conditions.yaml").exists()
    )
    assert _status("docs-triggers") == ("todo" if has_triggers else "exempt")
    assert _status("docs-conditions") == ("todo" if has_conditions else "exempt")
    # Only the hub's own flow counts: targets are reconfigured in their subentry flow.
    hub_reconfigures = "async_step_reconfigure" in vars(config_flow.PiAlertConfigFlow)
    assert _status("reconfiguration-flow") == ("done" if hub_reconfigures else "exempt")
    # A synchronous library run in the executor is not an async dependency.
    requirements = {_name(req) for req in _manifest()["requirements"]}
    assert "gpiozero" not in requirements or _status("async-dependency") == "todo"
    # Entities subscribe to their target's updates and unsubscribe on removal.
    entity = _source("entity.py")
    if "async_add_target_listener" in entity and "async_on_remove" in entity:
        assert _status("entity-event-setup") == "done"
    # Rules hassfest itself verifies when they are marked done.
    platforms = [
        p
        for p in ("binary_sensor", "button", "sensor", "switch")
        if p + ".py" in modules
    ]
    if _status("parallel-updates") == "done":
        assert all("PARALLEL_UPDATES" in _source(f"{p}.py") for p in platforms)
    if _status("diagnostics") == "done":
        assert "async_get_config_entry_diagnostics" in _source("diagnostics.py")
    if _status("config-flow") == "done":
        assert _manifest()["config_flow"] is True
    if _status("unique-config-entry") == "done":
        assert _manifest().get("single_config_entry") is True
    if _status("strict-typing") == "done":
        pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
        assert pyproject["tool"]["mypy"]["strict"] is True
    exempt_without_reason = [
        name
        for name, rule in quality_scale().items()
        if rule["status"] == "exempt" and not rule.get("comment", "").strip()
    ]
    assert exempt_without_reason == []


def test_options_flow_takes_the_typed_entry() -> None:
    """The options flow factory is typed with the integration's entry alias."""
    signature = inspect.signature(config_flow.PiAlertConfigFlow.async_get_options_flow)
    assert signature.parameters["config_entry"].annotation == "PiAlertConfigEntry"


# --- manifest.json ------------------------------------------------------------------


@cache
def _manifest() -> dict[str, Any]:
    return json.loads((PACKAGE / "manifest.json").read_text(encoding="utf-8"))


def _name(requirement: str) -> str:
    return (
        re.split(r"[=<>!~\[; ]", requirement, maxsplit=1)[0].lower().replace("_", "-")
    )


def _version(value: Any) -> str:
    AwesomeVersion(
        value,
        ensure_strategy=[
            AwesomeVersionStrategy.CALVER,
            AwesomeVersionStrategy.SEMVER,
            AwesomeVersionStrategy.SIMPLEVER,
            AwesomeVersionStrategy.BUILDVER,
            AwesomeVersionStrategy.PEP440,
        ],
    )
    return str(value)


def _https(value: Any) -> str:
    if not str(value).startswith("https://"):
        raise vol.Invalid("documentation must be an https URL")
    return str(value)


MANIFEST_SCHEMA = vol.Schema(
    {
        vol.Required("domain"): DOMAIN,
        vol.Required("name"): str,
        vol.Required("codeowners"): [vol.Match(r"^@")],
        vol.Optional("config_flow"): bool,
        vol.Optional("dependencies"): [str],
        vol.Optional("after_dependencies"): [str],
        vol.Required("documentation"): vol.All(vol.Url(), _https),
        vol.Optional("integration_type"): vol.In(
            ["device", "entity", "hardware", "helper", "hub", "service", "system"]
        ),
        vol.Required("iot_class"): vol.In(
            [
                "assumed_state",
                "calculated",
                "cloud_polling",
                "cloud_push",
                "local_polling",
                "local_push",
            ]
        ),
        vol.Optional("issue_tracker"): vol.Url(),
        vol.Optional("loggers"): [str],
        vol.Optional("quality_scale"): vol.In(
            ["internal", "silver", "gold", "platinum"]
        ),
        vol.Optional("requirements"): [
            vol.Match(r"^[A-Za-z0-9._-]+(\[[^]]+\])?==[^=<>]+$")
        ],
        vol.Optional("single_config_entry"): bool,
        vol.Required("version"): _version,
        vol.Optional("import_executor"): bool,
    }
)


def test_manifest_follows_hassfest_rules() -> None:
    """Known keys with valid values; domain, name, then alphabetical order."""
    manifest = _manifest()
    assert _problems(MANIFEST_SCHEMA, manifest) == []
    assert PACKAGE.name == manifest["domain"]
    keys = list(manifest)
    assert keys[:2] == ["domain", "name"]
    assert keys[2:] == sorted(keys[2:])


def _third_party_imports() -> set[str]:
    found: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return {
        name
        for name in found
        if name not in sys.stdlib_module_names
        and name not in {"__future__", "homeassistant", "custom_components"}
    }


# Home Assistant's own web and validation stack, which integrations use through
# its helpers; everything else a module imports must be declared.
PROVIDED_BY_HOME_ASSISTANT = {
    "aiohttp",
    "yarl",
    "probatio",
    "voluptuous",
    "cryptography",
    # PyYAML: Home Assistant's own configuration format (its loader adds
    # !include and !secret, which an uploaded target export must not get).
    "yaml",
}


def _constraints() -> dict[str, str]:
    """Home Assistant's pins (package_constraints.txt) by package name."""
    pins = {}
    text = (HA_PACKAGE / "package_constraints.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        if "==" in line and not line.startswith("#"):
            pins[_name(line)] = line.split("==", 1)[1].split(";")[0].strip()
    return pins


def _dependencies_of(requirement: str) -> set[str]:
    try:
        return {_name(req) for req in requires(requirement) or []}
    except PackageNotFoundError:
        return set()


def test_requirements_are_declared_pinned_like_home_assistant() -> None:
    """Every imported library is declared (or comes with one), at Home Assistant's pin."""
    requirements = _manifest()["requirements"]
    declared = {_name(req) for req in requirements}
    covered = declared | {dep for name in declared for dep in _dependencies_of(name)}
    undeclared = {
        name
        for name in _third_party_imports() - PROVIDED_BY_HOME_ASSISTANT
        if name.lower().replace("_", "-") not in covered
    }
    assert sorted(undeclared) == []
    pins = _constraints()
    differing = {
        req: pins[_name(req)]
        for req in requirements
        if _name(req) in pins and req.split("==", 1)[1] != pins[_name(req)]
    }
    assert differing == {}
    listed = (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
    assert sorted(requirements) == sorted(
        line for line in listed if line and not line.startswith("#")
    )
