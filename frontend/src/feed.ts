import type { ReactiveController, ReactiveControllerHost } from "lit";
import { applyFeed } from "./logic";
import type { FeedMessage, HomeAssistant, TargetView } from "./types";

const RESUBSCRIBE_MS = 2000;

/**
 * The live targets of one card or panel: the full list first, then only
 * changes, over Home Assistant's websocket. Subscribed while the element is
 * on the page; subscribed again when the hub reloads.
 */
export class TargetFeed implements ReactiveController {
  readonly targets = new Map<string, TargetView>();
  /** Grows with every message that changed the targets (for memoized views of them). */
  version = 0;
  loaded = false;
  error = "";
  private hass?: HomeAssistant;
  private unsubscribe?: Promise<() => Promise<void>>;
  private connected = false;
  private retry?: ReturnType<typeof setTimeout>;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly onChange?: () => void,
  ) {
    host.addController(this);
  }

  setHass(hass: HomeAssistant | undefined): void {
    const reconnect = hass?.connection !== this.hass?.connection;
    this.hass = hass;
    if (reconnect && this.connected) this.subscribe();
  }

  hostConnected(): void {
    this.connected = true;
    this.subscribe();
  }

  hostDisconnected(): void {
    this.connected = false;
    this.stop();
  }

  private stop(): void {
    clearTimeout(this.retry);
    const unsubscribe = this.unsubscribe;
    this.unsubscribe = undefined;
    unsubscribe?.then((unsub) => unsub()).catch(() => undefined);
  }

  private subscribe(): void {
    this.stop();
    if (!this.hass) return;
    this.unsubscribe = this.hass.connection.subscribeMessage<FeedMessage>(
      (message) => this.receive(message),
      { type: "pialert/targets/subscribe" },
    );
    this.unsubscribe.catch((err: { message?: string }) => {
      this.error = err.message ?? "PiAlert is not available.";
      this.loaded = true;
      this.unsubscribe = undefined;
      this.host.requestUpdate();
      this.retry = setTimeout(() => this.connected && this.subscribe(), RESUBSCRIBE_MS * 5);
    });
  }

  private receive(message: FeedMessage): void {
    if ("reload" in message) {
      this.retry = setTimeout(() => this.connected && this.subscribe(), RESUBSCRIBE_MS);
      return;
    }
    this.error = "";
    this.loaded = true;
    if (applyFeed(this.targets, message)) {
      this.version += 1;
      this.onChange?.();
      this.host.requestUpdate();
    }
  }
}
