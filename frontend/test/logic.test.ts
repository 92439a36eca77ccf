import { describe, expect, it } from "vitest";
import { editorSchema } from "../src/editor-schema";
import {
  applyFeed,
  barPaths,
  checkTime,
  describeCheck,
  explain,
  filterTargets,
  firstWindowRows,
  formatSpan,
  formatUptime,
  lastResult,
  laterIso,
  nextWindowEnd,
  selectTargets,
  sortTargets,
  sparkline,
  statusSummary,
} from "../src/logic";
import type { Status, TargetView } from "../src/types";

function target(id: string, status: Status, extra: Partial<TargetView> = {}): TargetView {
  return {
    id,
    name: id,
    kind: "http",
    status,
    tags: [],
    device_id: null,
    since: null,
    last_check: null,
    last_ping: null,
    response_time_ms: null,
    error: null,
    uptime: { "24h": null, "7d": null, "30d": null },
    acknowledged: null,
    silenced_until: null,
    depends_on: null,
    alerting: false,
    checks_at: null,
    checks: [],
    ...extra,
  };
}

describe("sortTargets", () => {
  it("puts down, unreachable, pending, up, paused in that order, then by name", () => {
    const sorted = sortTargets([
      target("paused", "paused"),
      target("b-up", "up"),
      target("pending", "pending"),
      target("a-up", "up"),
      target("unreachable", "unreachable"),
      target("down", "down"),
    ]);
    expect(sorted.map((t) => t.id)).toEqual([
      "down",
      "unreachable",
      "pending",
      "a-up",
      "b-up",
      "paused",
    ]);
  });

  it("compares names without case", () => {
    const sorted = sortTargets([target("Zeta", "up"), target("alpha", "up")]);
    expect(sorted.map((t) => t.id)).toEqual(["alpha", "Zeta"]);
  });
});

describe("selectTargets", () => {
  const all = [
    target("nas", "up", { tags: ["Storage"] }),
    target("web", "down", { tags: ["public"] }),
    target("dns", "up"),
  ];
  it("keeps all by default", () => {
    expect(selectTargets(all, {}).length).toBe(3);
  });
  it("keeps targets with one of the tags, any case", () => {
    expect(selectTargets(all, { show: "tags", tags: ["storage"] }).map((t) => t.id)).toEqual([
      "nas",
    ]);
  });
  it("keeps picked targets", () => {
    expect(
      selectTargets(all, { show: "targets", targets: ["dns", "web"] }).map((t) => t.id),
    ).toEqual(["web", "dns"]);
  });
});

describe("filterTargets", () => {
  const all = [
    target("Backup NAS", "down", { tags: ["storage"] }),
    target("Website", "up", { tags: ["public"] }),
  ];
  it("matches every search word in name, kind or tag", () => {
    const found = filterTargets(all, { search: "backup stor", statuses: new Set(), tag: "" });
    expect(found.map((t) => t.id)).toEqual(["Backup NAS"]);
  });
  it("filters by status and tag", () => {
    expect(
      filterTargets(all, { search: "", statuses: new Set<Status>(["up"]), tag: "" }).map(
        (t) => t.id,
      ),
    ).toEqual(["Website"]);
    expect(filterTargets(all, { search: "", statuses: new Set(), tag: "storage" }).length).toBe(1);
  });
});

describe("applyFeed", () => {
  it("replaces everything on the first message, then applies changes and removals", () => {
    const map = new Map<string, TargetView>();
    expect(applyFeed(map, { targets: [target("a", "up"), target("b", "up")] })).toBe(true);
    expect(applyFeed(map, { changed: [target("a", "down")], removed: ["b"] })).toBe(true);
    expect([...map.values()].map((t) => [t.id, t.status])).toEqual([["a", "down"]]);
    expect(applyFeed(map, { changed: [], removed: [] })).toBe(false);
    expect(applyFeed(map, { reload: true })).toBe(false);
    expect(map.size).toBe(1);
  });
});

describe("words", () => {
  it("formats spans coarsely", () => {
    expect(formatSpan(42)).toBe("42 s");
    expect(formatSpan(125)).toBe("2 min");
    expect(formatSpan(3600 * 3 + 60 * 5)).toBe("3 h 5 min");
    expect(formatSpan(86400 * 2)).toBe("2 d");
  });
  it("formats uptime", () => {
    expect(formatUptime(null)).toBe("–");
    expect(formatUptime(100)).toBe("100%");
    expect(formatUptime(99.5)).toBe("99.50%");
    expect(formatUptime(87.25)).toBe("87.3%");
  });
  it("explains acknowledgement, silence, dependency and heartbeat", () => {
    const now = Date.parse("2026-11-26T12:00:00Z");
    const lines = explain(
      target("app", "unreachable", {
        depends_on: "Router",
        acknowledged: { by: "Ann", at: "2026-11-26T11:00:00Z", note: "on it" },
        silenced_until: "2026-11-26T13:00:00Z",
      }),
      now,
      "en",
    );
    expect(lines[0]).toBe("Unreachable because Router is down");
    expect(lines[1]).toBe("Acknowledged by Ann: on it");
    expect(lines[2]).toMatch(/^Silenced until /);
    expect(
      explain(target("cron", "up", { kind: "heartbeat", last_ping: "2026-11-26T11:58:00Z" }), now),
    ).toEqual(["Last ping 2 min ago"]);
  });
  it("shows the error of a failing target", () => {
    expect(explain(target("web", "down", { error: "HTTP 503" }), 0)).toEqual(["HTTP 503"]);
  });
});

describe("check bars", () => {
  it("dates a check from the newest check's time and its age", () => {
    expect(checkTime(1000, [60, 1, 5])).toBe(940_000);
  });
  it("describes a check, with the error of a failed one", () => {
    const at = Date.parse("2026-11-26T12:00:00Z");
    expect(describeCheck(at, [0, 1, 120], "ignored", "en")).toMatch(/ · passed · 120 ms$/);
    expect(describeCheck(at, [0, 0, null], "HTTP 503", "en")).toMatch(/ · failed · HTTP 503$/);
  });
  it("draws a sparkline across the box, lowest value at the bottom", () => {
    const points = sparkline(
      [
        [20, 1, 100],
        [10, 0, null],
        [0, 1, 300],
      ],
      100,
      20,
    );
    expect(points).toBe("0.0,19.0 100.0,1.0");
    expect(sparkline([[0, 1, 5]], 100, 20)).toBe("");
  });
  it("keeps a sparkline per list of checks and box size", () => {
    const bars: [number, 0 | 1, number | null][] = [
      [10, 1, 100],
      [0, 1, 300],
    ];
    expect(sparkline(bars, 100, 20)).toBe("0.0,19.0 100.0,1.0");
    expect(sparkline(bars, 50, 20)).toBe("0.0,19.0 50.0,1.0");
    expect(sparkline([...bars].reverse(), 50, 20)).toBe("0.0,1.0 50.0,19.0");
  });
});

describe("barPaths", () => {
  it("draws passed and failed checks as one path each, a bar per check", () => {
    const paths = barPaths(
      [
        [20, 1, 100],
        [10, 0, null],
        [0, 1, 300],
      ],
      6,
      2,
      20,
    );
    expect(paths.ok).toBe("M0 0h6v20h-6zM16 0h6v20h-6z");
    expect(paths.failed).toBe("M8 0h6v20h-6z");
    expect(barPaths([], 6, 2, 20)).toEqual({ ok: "", failed: "" });
  });
});

describe("nextWindowEnd", () => {
  it("draws up to a step more rows, never past the end", () => {
    expect(nextWindowEnd(40, 1000, 40)).toBe(80);
    expect(nextWindowEnd(980, 1000, 40)).toBe(1000);
    expect(nextWindowEnd(1000, 1000, 40)).toBe(1000);
    expect(nextWindowEnd(40, 10, 40)).toBe(40);
  });
});

describe("laterIso", () => {
  it("accepts only later times", () => {
    const now = Date.parse("2026-11-26T12:00:00Z");
    expect(laterIso("2026-11-26T11:00:00Z", now)).toBeNull();
    expect(laterIso("not a time", now)).toBeNull();
    expect(laterIso("2026-11-26T14:00:00Z", now)).toBe("2026-11-26T14:00:00.000Z");
  });
});

describe("editorSchema", () => {
  it("asks for tags or targets only when that selection is chosen", () => {
    const names = (show: "all" | "tags" | "targets") =>
      editorSchema({ type: "custom:pialert-card", show }, ["a"], []).map((i) => i.name);
    expect(names("all")).toEqual(["title", "show", "mode"]);
    expect(names("tags")).toEqual(["title", "show", "tags", "mode"]);
    expect(names("targets")).toEqual(["title", "show", "targets", "mode"]);
  });
});

describe("lastResult", () => {
  it("computes again only when an argument is another object or value", () => {
    let calls = 0;
    const sorted = lastResult((_version: number, list: number[]) => {
      calls += 1;
      return [...list].sort((a, b) => a - b);
    });
    const list = [3, 1, 2];
    const first = sorted(1, list);
    expect(first).toEqual([1, 2, 3]);
    // The clock ticks: same feed version, same list, same result object.
    expect(sorted(1, list)).toBe(first);
    expect(calls).toBe(1);
    expect(sorted(2, list)).not.toBe(first);
    expect(sorted(2, [...list])).toEqual([1, 2, 3]);
    expect(calls).toBe(3);
  });
});

describe("statusSummary", () => {
  it("counts each status, most urgent first", () => {
    const targets = [target("a", "up"), target("b", "down"), target("c", "up"), target("d", "pending")];
    expect(statusSummary(targets)).toBe("1 down · 1 pending · 2 up");
    expect(statusSummary([])).toBe("");
  });
});

describe("firstWindowRows", () => {
  it("fills the screen and the margin below it, with one row to spare", () => {
    expect(firstWindowRows(900, 96, 400)).toBe(15);
    expect(firstWindowRows(900, 64, 400)).toBe(22);
    expect(firstWindowRows(2560, 64, 400)).toBe(48);
    // A tiny or not yet sized window still draws a few rows.
    expect(firstWindowRows(0, 96, 0)).toBe(8);
  });
});
