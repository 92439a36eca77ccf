import { LitElement, type PropertyValues, css, html } from "lit";
import { customElement, property, query, state } from "lit/decorators.js";
import { repeat } from "lit/directives/repeat.js";
import { firstWindowRows, nextWindowEnd } from "./logic";
import "./target-row";
import type { HomeAssistant, Mode, TargetView } from "./types";

/** Rows added each time the end of the drawn rows comes near the screen. */
export const MORE_ROWS = 24;
/** Estimated row heights, for the space the rows not drawn yet will take. */
const ROW_HEIGHT: Record<Mode, number> = { compact: 64, detailed: 96 };
/** How far below the screen the end of the drawn rows already counts as near. */
const MARGIN_PX = 400;

/**
 * Targets in the order given, as a list screen readers announce as one.
 * Only the rows near the screen are drawn (1,000 rows would take seconds);
 * more are drawn as the end comes into view, or as the keyboard reaches it,
 * and each row tells its position in the whole list.
 */
@customElement("pialert-target-list")
export class PiAlertTargetList extends LitElement {
  @property({ attribute: false }) hass?: HomeAssistant;
  @property({ attribute: false }) targets: TargetView[] = [];
  @property() mode: Mode = "compact";
  @property({ type: Number }) now = Date.now();
  @property() label = "Targets";
  /** Rows drawn; 0 until the first update sizes the window to the screen. */
  @state() private end = 0;
  @query(".rest") private rest?: HTMLElement;
  private observer?: IntersectionObserver;

  connectedCallback(): void {
    super.connectedCallback();
    this.observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) this.grow();
      },
      { rootMargin: `0px 0px ${MARGIN_PX}px 0px` },
    );
    if (this.hasUpdated) this.watchRest();
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    this.observer?.disconnect();
    this.observer = undefined;
  }

  /** Draw more rows; when the end is still near after that, the observer says so again. */
  private grow(): void {
    const end = nextWindowEnd(this.end, this.targets.length, MORE_ROWS);
    if (end !== this.end) this.end = end;
  }

  /** The keyboard moving into the last drawn rows draws the next ones, so Tab reaches every row. */
  private focusIn(ev: FocusEvent): void {
    const row = ev.composedPath().find((el) => (el as Element).localName === "pialert-target-row");
    const index = row ? Number((row as HTMLElement).dataset.index) : -1;
    if (index >= this.end - 2) this.grow();
  }

  protected willUpdate(): void {
    // The screen's rows and the margin below it at first: fewer rows to lay
    // out and paint before the card shows (24 fixed rows were 2,200 px).
    if (this.end === 0) this.end = firstWindowRows(window.innerHeight, ROW_HEIGHT[this.mode], MARGIN_PX);
  }

  protected updated(changed: PropertyValues<this>): void {
    // Observing again reports where the remaining space is now.
    if (changed.has("end" as keyof PiAlertTargetList) || changed.has("targets") || changed.has("mode")) {
      this.watchRest();
    }
  }

  private watchRest(): void {
    if (!this.observer) return;
    this.observer.disconnect();
    if (this.rest) this.observer.observe(this.rest);
  }

  protected render() {
    const total = this.targets.length;
    const shown = this.targets.slice(0, this.end);
    const restHeight = (total - shown.length) * ROW_HEIGHT[this.mode];
    return html`<div role="list" aria-label=${this.label} @focusin=${this.focusIn}>
        ${repeat(
          shown,
          (t) => t.id,
          (t, i) => html`<pialert-target-row
            data-index=${i}
            .hass=${this.hass}
            .target=${t}
            .mode=${this.mode}
            .now=${this.now}
            .position=${i + 1}
            .setSize=${total}
          ></pialert-target-row>`,
        )}
      </div>
      <div class="rest" style="height: ${restHeight}px" aria-hidden="true"></div>`;
  }

  static styles = css`
    :host {
      display: block;
    }
    .rest {
      min-height: 1px;
    }
  `;
}

declare global {
  interface HTMLElementTagNameMap {
    "pialert-target-list": PiAlertTargetList;
  }
}
