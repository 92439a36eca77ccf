/** What the integration's websocket commands send (see websocket_api.py). */

export type Status =
  | "down"
  | "unreachable"
  | "pending"
  | "unknown"
  | "up"
  | "paused";

/** One check: [seconds before the newest check, ok (1) or failed (0), ms | null]. */
export type CheckBar = [number, 0 | 1, number | null];

/** One check with its error, from pialert/targets/checks. */
export interface CheckDetail {
  checked_at: string;
  ok: boolean;
  response_time_ms: number | null;
  error: string | null;
}

export interface Acknowledgement {
  by: string;
  at: string;
  note: string | null;
}

export interface TargetView {
  id: string;
  name: string;
  kind: string;
  status: Status;
  tags: string[];
  device_id: string | null;
  since: string | null;
  last_check: string | null;
  last_ping: string | null;
  response_time_ms: number | null;
  error: string | null;
  uptime: Record<"24h" | "7d" | "30d", number | null> & Record<string, number | null>;
  acknowledged: Acknowledgement | null;
  silenced_until: string | null;
  depends_on: string | null;
  alerting: boolean;
  /** The newest check's time (epoch s), null before the first check. */
  checks_at: number | null;
  checks: CheckBar[];
}

export interface Incident {
  id: string;
  target_id: string;
  target_name: string;
  started_at: string;
  ended_at: string | null;
  duration_seconds: number | null;
  failures: number;
  first_error: string | null;
  last_error: string | null;
  acknowledged_at: string | null;
  acknowledged_by: string | null;
  acknowledgement_note: string | null;
}

/** One message of one notification rule to one channel (pialert/deliveries). */
export interface Delivery {
  time: string;
  rule_id: string;
  rule: string;
  what: string;
  channel: string;
  status: string;
  targets: string[];
  message: string;
  error: string | null;
}

/** Messages of the pialert/targets/subscribe subscription. */
export type FeedMessage =
  | { targets: TargetView[] }
  | { changed: TargetView[]; removed: string[] }
  | { reload: true };

export type Selection = "all" | "tags" | "targets";
export type Mode = "compact" | "detailed";

export interface CardConfig {
  type: string;
  title?: string;
  show?: Selection;
  tags?: string[];
  targets?: string[];
  mode?: Mode;
}

/** The little of Home Assistant's `hass` object the card uses. */
export interface HassConnection {
  subscribeMessage<T>(
    callback: (message: T) => void,
    message: Record<string, unknown>,
  ): Promise<() => Promise<void>>;
}

export interface HomeAssistant {
  connection: HassConnection;
  callWS<T>(message: Record<string, unknown>): Promise<T>;
  themes?: { darkMode?: boolean };
  user?: { is_admin: boolean; name: string };
  language?: string;
  locale?: { language: string };
}
