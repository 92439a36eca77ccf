"""Run PiAlert's benchmarks: ``python -m benchmarks [--quick] [NAME ...]``.

Prints one table and writes ``benchmarks/results/latest.json`` (figures and
machine facts). Names: api, engine, core-rest, memory, recorder, startup
(default: all, in that order).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
from pathlib import Path
import sys
import time
import traceback
from types import ModuleType

from . import RESULTS_DIR, Figure, Result, machine_facts, say, table, write_results

MODULES = {
    "api": "api",
    "engine": "engine",
    "core-rest": "core_rest",
    "memory": "memory",
    "memory-hass": "memory_hass",
    "recorder": "recorder",
    "startup": "startup",
    "notify": "notify",
    "notify-hass": "notify_hass",
    "entity-groups": "entity_groups",
    "alert-rules": "alert_rules",
    "status-page": "status_page",
    "card": "card",
    "targets-as-code": "targets_as_code",
    "growth": "growth",
}


def load(name: str) -> ModuleType:
    """Import a benchmark module by its command-line name."""
    return importlib.import_module(f"benchmarks.{MODULES[name]}")


def load_results(path: Path) -> list[Result]:
    """Read the results of an earlier run."""
    data = json.loads(path.read_text(encoding="utf-8"))
    results = []
    for item in data["results"].values():
        figures = [Figure(**f) for f in item.pop("figures")]
        results.append(Result(**item, figures=figures))
    return results


def main(argv: list[str] | None = None) -> int:
    """Run the chosen benchmarks; exit 1 if one of them failed to run."""
    parser = argparse.ArgumentParser(
        prog="scripts/bench", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "names",
        nargs="*",
        metavar="NAME",
        help=f"benchmarks to run: {', '.join(MODULES)} (default: all)",
    )
    parser.add_argument(
        "--quick", action="store_true", help="small sizes and short runs (CI)"
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=RESULTS_DIR / "latest.json",
        help="where to write the results (default: benchmarks/results/latest.json)",
    )
    parser.add_argument(
        "--markdown", action="store_true", help="print the table as Markdown"
    )
    parser.add_argument(
        "--show",
        type=Path,
        metavar="JSON",
        help="print the table of an earlier results file and exit (runs nothing)",
    )
    args = parser.parse_args(argv)
    if args.show:
        print(table(load_results(args.show), markdown=args.markdown))
        return 0
    names = args.names or list(MODULES)
    unknown = [n for n in names if n not in MODULES]
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}")

    started = time.monotonic()
    facts = machine_facts()
    say(
        f"{len(names)} benchmark(s){' (quick)' if args.quick else ''} on"
        f" {facts['cores']} cores, Python {facts['python']},"
        f" Home Assistant {facts['home_assistant']}"
    )
    results: list[Result] = []
    for name in names:
        say(f"--- {name} ---")
        t0 = time.monotonic()
        try:
            result: Result = load(name).run(args.quick)
        except Exception as err:
            traceback.print_exc()
            result = Result(name, name, error=f"{type(err).__name__}: {err}")
        result.seconds = round(time.monotonic() - t0, 1)
        say(f"{name}: {result.seconds:.0f} s")
        results.append(result)

    total = time.monotonic() - started
    data = {
        "machine": facts,
        "quick": args.quick,
        "benchmarks_run": names,
        "finished_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "total_seconds": round(total, 1),
        "results": {r.name: r.as_dict() for r in results},
    }
    write_results(args.output, data)
    print(table(results, markdown=args.markdown))
    met = [f.met for r in results for f in r.figures if f.met is not None]
    print(
        f"\n{sum(met)} of {len(met)} goals met; {len(results)} benchmark(s) in"
        f" {total:.0f} s; results in {args.output}"
    )
    failed = [r.name for r in results if r.error]
    if failed:
        print(f"benchmark(s) that failed to run: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
