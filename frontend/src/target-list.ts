import { LitElement, css, html } from "lit";
import { customElement, property } from "lit/decorators.js";
import { repeat } from "lit/directives/repeat.js";
import "./target-row";
import type { HomeAssistant, Mode, TargetView } from "./types";

/** Targets in the order given, as a list screen readers announce as one. */
@customElement("pialert-target-list")
export class PiAlertTargetList extends LitElement {
  @property({ attribute: false }) hass?: HomeAssistant;
  @property({ attribute: false }) targets: TargetView[] = [];
  @property() mode: Mode = "compact";
  @property({ type: Number }) now = Date.now();
  @property() label = "Targets";

  protected render() {
    return html`<div role="list" aria-label=${this.label}>
      ${repeat(
        this.targets,
        (t) => t.id,
        (t) => html`<pialert-target-row
          .hass=${this.hass}
          .target=${t}
          .mode=${this.mode}
          .now=${this.now}
        ></pialert-target-row>`,
      )}
    </div>`;
  }

  static styles = css`
    :host {
      display: block;
    }
  `;
}

declare global {
  interface HTMLElementTagNameMap {
    "pialert-target-list": PiAlertTargetList;
  }
}
