import { LitElement, css, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { TargetFeed } from "./feed";
import { lastResult, selectTargets, sortTargets, statusSummary } from "./logic";
import { themeStyles } from "./styles";
import "./target-list";
import type { CardConfig, HomeAssistant, TargetView } from "./types";

const SELECTIONS = ["all", "tags", "targets"];
const MODES = ["compact", "detailed"];
const CLOCK_MS = 30_000;

/** `custom:pialert-card`: the chosen targets, what needs attention first. */
@customElement("pialert-card")
export class PiAlertCard extends LitElement {
  @state() private config: CardConfig = { type: "custom:pialert-card" };
  @state() private now = Date.now();
  private hassValue?: HomeAssistant;
  private readonly feed = new TargetFeed(this);
  private clock?: ReturnType<typeof setInterval>;
  /** The chosen targets in order, sorted again only when the feed or the configuration changed. */
  private readonly chosen = lastResult((_version: number, config: CardConfig) => {
    const targets: TargetView[] = sortTargets(selectTargets(this.feed.targets.values(), config));
    return { targets, summary: statusSummary(targets) };
  });

  @property({ attribute: false })
  set hass(hass: HomeAssistant | undefined) {
    this.hassValue = hass;
    this.feed.setHass(hass);
  }
  get hass(): HomeAssistant | undefined {
    return this.hassValue;
  }

  setConfig(config: CardConfig): void {
    if (config.show && !SELECTIONS.includes(config.show)) {
      throw new Error(`show must be one of ${SELECTIONS.join(", ")}`);
    }
    if (config.mode && !MODES.includes(config.mode)) {
      throw new Error(`mode must be one of ${MODES.join(", ")}`);
    }
    this.config = { show: "all", mode: "compact", ...config };
  }

  getCardSize(): number {
    return 1 + Math.min(this.feed.targets.size, 8);
  }

  getGridOptions() {
    return { columns: 12, min_columns: 6, rows: "auto" };
  }

  static getConfigElement(): HTMLElement {
    return document.createElement("pialert-card-editor");
  }

  static getStubConfig(): Partial<CardConfig> {
    return { show: "all", mode: "compact" };
  }

  connectedCallback(): void {
    super.connectedCallback();
    this.clock = setInterval(() => (this.now = Date.now()), CLOCK_MS);
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.clock);
  }

  protected render() {
    const title = this.config.title ?? "PiAlert";
    const { targets, summary } = this.chosen(this.feed.version, this.config);
    return html`<ha-card>
      <div class="header">
        <h2>${title}</h2>
        <span class="summary" role="status">${summary}</span>
      </div>
      <div class="content">
        ${this.feed.error
          ? html`<p class="empty" role="alert">${this.feed.error}</p>`
          : !this.feed.loaded
            ? html`<p class="empty">Loading…</p>`
            : targets.length === 0
              ? html`<p class="empty">No targets to show. Add targets in Settings → Devices &amp; services → PiAlert.</p>`
              : nothing}
        <pialert-target-list
          .hass=${this.hass}
          .targets=${targets}
          .mode=${this.config.mode ?? "compact"}
          .now=${this.now}
          label=${title}
        ></pialert-target-list>
      </div>
    </ha-card>`;
  }

  static styles = [
    themeStyles,
    css`
      ha-card {
        display: block;
        overflow: hidden;
      }
      .header {
        display: flex;
        flex-wrap: wrap;
        align-items: baseline;
        justify-content: space-between;
        gap: 4px 12px;
        padding: 16px 16px 4px;
      }
      h2 {
        margin: 0;
        font-size: var(--ha-card-header-font-size, 24px);
        font-weight: 400;
        line-height: 1.3;
      }
      .summary {
        color: var(--secondary-text-color);
        font-size: 0.9em;
      }
      .content {
        padding: 0 16px 8px;
      }
      .empty {
        color: var(--secondary-text-color);
      }
    `,
  ];
}

declare global {
  interface HTMLElementTagNameMap {
    "pialert-card": PiAlertCard;
  }
}
