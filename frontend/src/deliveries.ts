/** Words for the panel's "Recent notifications" (pialert/deliveries). */

const WHAT_TEXT: Record<string, string> = {
  down: "Went down",
  escalation: "Escalation",
  reminder: "Reminder",
  acknowledged: "Acknowledged",
  recovered: "Recovered",
  updated: "Incident updated",
  test: "Test",
};

const STATUS_TEXT: Record<string, string> = {
  sent: "Sent",
  queued: "Queued",
  retrying: "Retrying",
  failed: "Failed",
  skipped: "Skipped",
};

/** What a message said: a rule's message, or the event a webhook attempt carried. */
export function describeWhat(what: string): string {
  return WHAT_TEXT[what] ?? `Webhook ${what}`;
}

/** Where a message went, from the channel key (`kind:address`). */
export function describeChannel(channel: string): string {
  const split = channel.indexOf(":");
  const kind = split < 0 ? channel : channel.slice(0, split);
  const address = split < 0 ? "" : channel.slice(split + 1);
  switch (kind) {
    case "entity":
    case "service":
      return address;
    case "persistent":
      return "Persistent notification";
    case "relay":
      return "Relay";
    case "webhook":
      return /^\d+$/.test(address) ? `Webhook (step ${Number(address) + 1})` : "Webhook";
    case "alertmanager":
      return `Alertmanager ${address}`;
    default:
      return channel;
  }
}

/** How it went: the status, and the error when there is one. */
export function describeOutcome(status: string, error: string | null): string {
  const text = STATUS_TEXT[status] ?? status;
  return error ? `${text}: ${error}` : text;
}
