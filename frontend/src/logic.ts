/** The card's logic, free of the DOM: order, selection, changes, words. */
import type { CardConfig, CheckBar, FeedMessage, Status, TargetView } from "./types";

/** What needs attention first: down, unreachable, pending, then the rest. */
export const STATUS_ORDER: Record<Status, number> = {
  down: 0,
  unreachable: 1,
  pending: 2,
  unknown: 3,
  up: 4,
  paused: 5,
};

export const STATUS_TEXT: Record<Status, string> = {
  down: "Down",
  unreachable: "Unreachable",
  pending: "Pending",
  unknown: "Not checked yet",
  up: "Up",
  paused: "Paused",
};

// One collator for every comparison: `localeCompare` with options builds one
// per call, which made sorting 1,000 targets take tens of milliseconds.
const byName = new Intl.Collator(undefined, { sensitivity: "base" });

export function sortTargets(targets: Iterable<TargetView>): TargetView[] {
  return [...targets].sort(
    (a, b) =>
      STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
      byName.compare(a.name, b.name) ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

/**
 * `compute`, remembering its last result while it is called with the same
 * arguments (by identity): a card renders again every 30 s for the clock and
 * must not sort 1,000 targets each time when they did not change.
 */
export function lastResult<A extends readonly unknown[], R>(
  compute: (...args: A) => R,
): (...args: A) => R {
  let last: { args: A; result: R } | undefined;
  return (...args: A): R => {
    if (
      !last ||
      last.args.length !== args.length ||
      last.args.some((arg, i) => !Object.is(arg, args[i]))
    ) {
      last = { args, result: compute(...args) };
    }
    return last.result;
  };
}

/** How many targets have each status, most urgent first ("2 down · 5 up"). */
export function statusSummary(targets: Iterable<TargetView>): string {
  const counts = new Map<Status, number>();
  for (const t of targets) counts.set(t.status, (counts.get(t.status) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => STATUS_ORDER[a[0]] - STATUS_ORDER[b[0]])
    .map(([status, n]) => `${n} ${STATUS_TEXT[status].toLowerCase()}`)
    .join(" · ");
}

/**
 * How many rows a windowed list draws first: enough to fill the screen and
 * the margin below it at the estimated row height, one more, and at least
 * `least` (the list draws more as its end nears the screen anyway).
 */
export function firstWindowRows(
  screenHeight: number,
  rowHeight: number,
  margin: number,
  least = 8,
): number {
  return Math.max(least, Math.ceil((screenHeight + margin) / rowHeight) + 1);
}

/** Where a windowed list's drawn rows end after drawing up to `step` more. */
export function nextWindowEnd(end: number, total: number, step: number): number {
  return end >= total ? end : Math.min(total, end + step);
}

/** Keep the targets the card's configuration chose. */
export function selectTargets(
  targets: Iterable<TargetView>,
  config: Pick<CardConfig, "show" | "tags" | "targets">,
): TargetView[] {
  const all = [...targets];
  if (config.show === "tags") {
    const tags = new Set((config.tags ?? []).map((t) => t.toLowerCase()));
    return all.filter((t) => t.tags.some((tag) => tags.has(tag.toLowerCase())));
  }
  if (config.show === "targets") {
    const ids = new Set(config.targets ?? []);
    return all.filter((t) => ids.has(t.id));
  }
  return all;
}

export interface PanelFilter {
  search: string;
  statuses: ReadonlySet<Status>;
  tag: string;
}

/** The panel's search box, status chips and tag choice. */
export function filterTargets(
  targets: Iterable<TargetView>,
  filter: PanelFilter,
): TargetView[] {
  const words = filter.search.trim().toLowerCase().split(/\s+/).filter(Boolean);
  return [...targets].filter(
    (t) =>
      (filter.statuses.size === 0 || filter.statuses.has(t.status)) &&
      (!filter.tag || t.tags.includes(filter.tag)) &&
      words.every(
        (w) =>
          t.name.toLowerCase().includes(w) ||
          t.kind.includes(w) ||
          t.tags.some((tag) => tag.toLowerCase().includes(w)),
      ),
  );
}

/** Fold one subscription message into the targets by id; true if it changed. */
export function applyFeed(
  targets: Map<string, TargetView>,
  message: FeedMessage,
): boolean {
  if ("targets" in message) {
    targets.clear();
    for (const t of message.targets) targets.set(t.id, t);
    return true;
  }
  if ("changed" in message) {
    for (const t of message.changed) targets.set(t.id, t);
    for (const id of message.removed) targets.delete(id);
    return message.changed.length > 0 || message.removed.length > 0;
  }
  return false;
}

export function allTags(targets: Iterable<TargetView>): string[] {
  const tags = new Set<string>();
  for (const t of targets) for (const tag of t.tags) tags.add(tag);
  return [...tags].sort();
}

/** "45 s", "12 min", "3 h", "2 d": how long ago (or how long), coarsely. */
export function formatSpan(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86400) {
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    return m ? `${h} h ${m} min` : `${h} h`;
  }
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  return h ? `${d} d ${h} h` : `${d} d`;
}

export function ago(iso: string | null, now: number): string | null {
  if (!iso) return null;
  return `${formatSpan((now - Date.parse(iso)) / 1000)} ago`;
}

export function formatUptime(value: number | null): string {
  if (value === null) return "–";
  if (value >= 99.995) return "100%";
  return `${value >= 99 ? value.toFixed(2) : value.toFixed(1)}%`;
}

export function formatMs(value: number | null): string {
  if (value === null) return "–";
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${Math.round(value)} ms`;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** A date formatter per locale and shape, made once: making one is slow. */
function dateFormat(locale: string | undefined, seconds: boolean): Intl.DateTimeFormat {
  const key = `${locale ?? ""}|${seconds}`;
  let format = formatters.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, {
      month: "short",
      day: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      ...(seconds ? { second: "2-digit" } : {}),
    });
    formatters.set(key, format);
  }
  return format;
}

export function formatTime(iso: string, locale?: string): string {
  return dateFormat(locale, false).format(new Date(iso));
}

/** When a check ran (epoch ms), from the newest check's time and its age. */
export function checkTime(checksAt: number, bar: CheckBar): number {
  return (checksAt - bar[0]) * 1000;
}

/** A check's words, for the tooltip, the tap line and screen readers. */
export function describeCheck(
  at: number,
  bar: CheckBar,
  error?: string | null,
  locale?: string,
): string {
  const time = dateFormat(locale, true).format(new Date(at));
  const [, ok, ms] = bar;
  const parts = [time, ok ? "passed" : "failed"];
  if (ms !== null) parts.push(formatMs(ms));
  if (!ok && error) parts.push(error);
  return parts.join(" · ");
}

const sparklines = new WeakMap<CheckBar[], { size: string; points: string }>();

/**
 * The sparkline's SVG points for response times, in a width × height box;
 * kept per list of checks, which the feed replaces only when a check is added.
 */
export function sparkline(bars: CheckBar[], width: number, height: number): string {
  const size = `${width}x${height}`;
  const known = sparklines.get(bars);
  if (known?.size === size) return known.points;
  const points = sparklinePoints(bars, width, height);
  sparklines.set(bars, { size, points });
  return points;
}

function sparklinePoints(bars: CheckBar[], width: number, height: number): string {
  const values = bars.map((b) => b[2]).filter((v): v is number => v !== null);
  if (values.length < 2) return "";
  const max = Math.max(...values);
  const min = Math.min(...values);
  const span = max - min || 1;
  const step = width / (values.length - 1);
  return values
    .map((v, i) => {
      const x = (i * step).toFixed(1);
      const y = (height - 1 - ((v - min) / span) * (height - 2)).toFixed(1);
      return `${x},${y}`;
    })
    .join(" ");
}

export interface BarPaths {
  ok: string;
  failed: string;
}

const barPathsKept = new WeakMap<CheckBar[], { size: string; paths: BarPaths }>();

/**
 * The history bars as two SVG paths, passed and failed checks: two elements
 * a row instead of one per check; kept per list of checks.
 */
export function barPaths(bars: CheckBar[], width: number, gap: number, height: number): BarPaths {
  const size = `${width}/${gap}/${height}`;
  const known = barPathsKept.get(bars);
  if (known?.size === size) return known.paths;
  const ok: string[] = [];
  const failed: string[] = [];
  bars.forEach((bar, i) => {
    (bar[1] ? ok : failed).push(`M${i * (width + gap)} 0h${width}v${height}h-${width}z`);
  });
  const paths = { ok: ok.join(""), failed: failed.join("") };
  barPathsKept.set(bars, { size, paths });
  return paths;
}

/** The line under a target's name: why it is in this state. */
export function explain(t: TargetView, now: number, locale?: string): string[] {
  const lines: string[] = [];
  if (t.status === "unreachable" && t.depends_on) {
    lines.push(`Unreachable because ${t.depends_on} is down`);
  } else if (t.error && t.status !== "paused") {
    lines.push(t.error);
  }
  if (t.acknowledged) {
    const note = t.acknowledged.note ? `: ${t.acknowledged.note}` : "";
    lines.push(`Acknowledged by ${t.acknowledged.by}${note}`);
  }
  if (t.silenced_until) {
    lines.push(`Silenced until ${formatTime(t.silenced_until, locale)}`);
  }
  if (t.kind === "heartbeat") {
    lines.push(
      t.last_ping ? `Last ping ${ago(t.last_ping, now)}` : "No ping received yet",
    );
  }
  return lines;
}

/** A `datetime-local` input's value as an ISO time; null unless it is later. */
export function laterIso(local: string, now: number): string | null {
  const at = new Date(local).getTime();
  if (Number.isNaN(at) || at <= now) return null;
  return new Date(at).toISOString();
}
