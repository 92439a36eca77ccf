import { LitElement, html } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { TargetFeed } from "./feed";
import { LABELS, type SchemaItem, editorSchema } from "./editor-schema";
import { allTags } from "./logic";
import type { CardConfig, HomeAssistant } from "./types";

/** The card's visual editor: which targets (all, by tag, picked) and layout. */
@customElement("pialert-card-editor")
export class PiAlertCardEditor extends LitElement {
  @state() private config: CardConfig = { type: "custom:pialert-card" };
  private hassValue?: HomeAssistant;
  private readonly feed = new TargetFeed(this);

  @property({ attribute: false })
  set hass(hass: HomeAssistant | undefined) {
    this.hassValue = hass;
    this.feed.setHass(hass);
    this.requestUpdate();
  }
  get hass(): HomeAssistant | undefined {
    return this.hassValue;
  }

  setConfig(config: CardConfig): void {
    this.config = { show: "all", mode: "compact", ...config };
  }

  protected render() {
    const targets = [...this.feed.targets.values()]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((t) => ({ value: t.id, label: t.name }));
    return html`<ha-form
      .hass=${this.hass}
      .data=${this.config}
      .schema=${editorSchema(this.config, allTags(this.feed.targets.values()), targets)}
      .computeLabel=${(item: SchemaItem) => LABELS[item.name] ?? item.name}
      @value-changed=${this.changed}
    ></ha-form>`;
  }

  private changed(ev: CustomEvent<{ value: CardConfig }>): void {
    ev.stopPropagation();
    const config = { ...ev.detail.value };
    if (config.show !== "tags") delete config.tags;
    if (config.show !== "targets") delete config.targets;
    if (!config.title) delete config.title;
    this.config = config;
    this.dispatchEvent(
      new CustomEvent("config-changed", { detail: { config }, bubbles: true, composed: true }),
    );
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "pialert-card-editor": PiAlertCardEditor;
  }
}
