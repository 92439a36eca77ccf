import { describe, expect, it } from "vitest";
import { describeChannel, describeOutcome, describeWhat } from "../src/deliveries";

describe("describeWhat", () => {
  it("names a rule's messages and a webhook's events", () => {
    expect(describeWhat("down")).toBe("Went down");
    expect(describeWhat("reminder")).toBe("Reminder");
    expect(describeWhat("recovered")).toBe("Recovered");
    expect(describeWhat("monitor.down")).toBe("Webhook monitor.down");
  });
});

describe("describeChannel", () => {
  it("shows each kind of channel in words", () => {
    expect(describeChannel("entity:notify.both_phones")).toBe("notify.both_phones");
    expect(describeChannel("service:notify.mobile_app_phone")).toBe("notify.mobile_app_phone");
    expect(describeChannel("persistent:")).toBe("Persistent notification");
    expect(describeChannel("relay:")).toBe("Relay");
    expect(describeChannel("webhook:0")).toBe("Webhook (step 1)");
    expect(describeChannel("webhook:2")).toBe("Webhook (step 3)");
    expect(describeChannel("alertmanager:http://ops:***@am:9093")).toBe(
      "Alertmanager http://ops:***@am:9093",
    );
    expect(describeChannel("carrier-pigeon")).toBe("carrier-pigeon");
  });
});

describe("describeOutcome", () => {
  it("adds the error to the status", () => {
    expect(describeOutcome("sent", null)).toBe("Sent");
    expect(describeOutcome("failed", "Cannot connect")).toBe("Failed: Cannot connect");
    expect(describeOutcome("retrying", "HTTP 500")).toBe("Retrying: HTTP 500");
    expect(describeOutcome("later", null)).toBe("later");
  });
});
