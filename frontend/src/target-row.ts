import { LitElement, css, html, nothing, svg } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import {
  STATUS_TEXT,
  ago,
  barPaths,
  checkTime,
  describeCheck,
  explain,
  formatMs,
  formatUptime,
  laterIso,
  sparkline,
} from "./logic";
import { themeStyles } from "./styles";
import type { CheckDetail, HomeAssistant, Mode, TargetView } from "./types";

const BAR_WIDTH = 6;
const BAR_GAP = 2;
const BAR_HEIGHT = 20;
const SPARK_WIDTH = 96;
const SPARK_HEIGHT = 24;

type Form = "none" | "acknowledge" | "silence";

/** Open a Home Assistant page without reloading, as its own links do. */
function navigate(path: string): void {
  history.pushState(null, "", path);
  window.dispatchEvent(new CustomEvent("location-changed", { detail: { replace: false } }));
}

/** One target: status, why, history bars, uptime, and what can be done. */
@customElement("pialert-target-row")
export class PiAlertTargetRow extends LitElement {
  @property({ attribute: false }) hass?: HomeAssistant;
  @property({ attribute: false }) target!: TargetView;
  @property() mode: Mode = "compact";
  @property({ type: Number }) now = Date.now();
  /** Place in the whole list (from 1) and its length, told as the list draws only some rows. */
  @property({ type: Number }) position = 1;
  @property({ type: Number }) setSize = 1;
  @state() private form: Form = "none";
  @state() private busy = false;
  @state() private error = "";
  @state() private pickedBar = -1;
  /** Errors of failed checks by time (epoch s), fetched when bars are explored. */
  @state() private errors = new Map<number, string>();
  private errorsFor: number | null = null;

  protected render() {
    const t = this.target;
    const detailed = this.mode === "detailed";
    const since = ago(t.since, this.now);
    const locale = this.hass?.locale?.language;
    return html`
      <div class="row status-${t.status}" role="listitem"
        aria-posinset=${this.position}
        aria-setsize=${this.setSize}
        aria-label="${t.name}: ${STATUS_TEXT[t.status]}">
        <span class="dot" aria-hidden="true"></span>
        <div class="main">
          <div class="head">
            <span class="name">${t.name}</span>
            <span class="status">${STATUS_TEXT[t.status]}${since ? html`<span class="since"> · for ${since.replace(/ ago$/, "")}</span>` : nothing}</span>
          </div>
          ${explain(t, this.now, locale).map((line) => html`<div class="why">${line}</div>`)}
          <div class="foot">
          ${detailed ? this.renderDetails() : nothing}
          <div class="actions" role="group" aria-label="Actions for ${t.name}">
            ${t.status === "down" && !t.acknowledged
              ? html`<button @click=${() => this.toggle("acknowledge")} aria-expanded=${this.form === "acknowledge"}>Acknowledge</button>`
              : nothing}
            ${t.silenced_until
              ? html`<button @click=${this.unsilence} ?disabled=${this.busy}>Unsilence</button>`
              : html`<button @click=${() => this.toggle("silence")} aria-expanded=${this.form === "silence"}>Silence</button>`}
            ${t.device_id && this.hass?.user?.is_admin
              ? html`<button @click=${() => navigate(`/config/devices/device/${t.device_id}`)}>Device</button>`
              : nothing}
          </div>
          </div>
          ${detailed
            ? html`<div class="bar-detail" aria-live="polite">${this.pickedBar >= 0 && this.pickedBar < t.checks.length ? this.describeBar(this.pickedBar, locale) : ""}</div>`
            : nothing}
          ${this.renderForm()}
          ${this.error ? html`<div class="error" role="alert">${this.error}</div>` : nothing}
        </div>
        <div class="figures">
          <span title="Uptime, last 24 hours">${formatUptime(t.uptime["24h"])}</span>
          ${t.response_time_ms !== null ? html`<span class="ms">${formatMs(t.response_time_ms)}</span>` : nothing}
        </div>
      </div>
    `;
  }

  private renderDetails() {
    const t = this.target;
    const bars = t.checks;
    const width = Math.max(1, bars.length * (BAR_WIDTH + BAR_GAP) - BAR_GAP);
    const points = sparkline(bars, SPARK_WIDTH, SPARK_HEIGHT);
    const paths = barPaths(bars, BAR_WIDTH, BAR_GAP, BAR_HEIGHT);
    const failed = bars.filter((b) => !b[1]).length;
    const summary = bars.length
      ? `Last ${bars.length} checks, ${failed} failed; use the arrow keys to read each`
      : "Not checked yet";
    return html`
      <div class="details">
        <div
          class="bars"
          tabindex=${bars.length ? 0 : -1}
          role="img"
          aria-label=${summary}
          @keydown=${this.barKey}
          @pointermove=${this.barPointer}
          @click=${this.barPointer}
          @focus=${this.loadErrors}
          @pointerenter=${this.loadErrors}
          @blur=${() => (this.pickedBar = -1)}
          @pointerleave=${() => (this.pickedBar = -1)}
        >
          <svg width=${width} height=${BAR_HEIGHT} viewBox="0 0 ${width} ${BAR_HEIGHT}" aria-hidden="true">
            <path class="ok" d=${paths.ok}></path>
            <path class="failed" d=${paths.failed}></path>
            ${this.pickedBar >= 0 && this.pickedBar < bars.length
              ? svg`<rect class="picked ${bars[this.pickedBar][1] ? "ok" : "failed"}" x=${this.pickedBar * (BAR_WIDTH + BAR_GAP)} y="0" width=${BAR_WIDTH} height=${BAR_HEIGHT}></rect>`
              : nothing}
          </svg>
        </div>
        ${points
          ? html`<svg class="spark" width=${SPARK_WIDTH} height=${SPARK_HEIGHT} aria-hidden="true"><polyline points=${points} fill="none" stroke="var(--primary-color)" stroke-width="1.5"></polyline></svg>`
          : nothing}
        <div class="uptimes" aria-label="Uptime">
          <span>24 h ${formatUptime(t.uptime["24h"])}</span>
          <span>7 d ${formatUptime(t.uptime["7d"])}</span>
          <span>30 d ${formatUptime(t.uptime["30d"])}</span>
        </div>
      </div>
    `;
  }

  private describeBar(index: number, locale?: string): string {
    const bar = this.target.checks[index];
    const time = checkTime(this.target.checks_at ?? 0, bar);
    return describeCheck(time, bar, this.errors.get(time / 1000), locale);
  }

  private async loadErrors(): Promise<void> {
    const t = this.target;
    if (!this.hass || t.checks_at === null || this.errorsFor === t.checks_at) return;
    if (!t.checks.some((b) => !b[1])) return;
    this.errorsFor = t.checks_at;
    try {
      const answer = await this.hass.callWS<{ checks: CheckDetail[] }>({
        type: "pialert/targets/checks",
        target_id: t.id,
        days: 1,
      });
      this.errors = new Map(
        answer.checks
          .filter((c) => c.error)
          .map((c) => [Math.round(Date.parse(c.checked_at) / 1000), c.error as string]),
      );
    } catch {
      this.errorsFor = null;
    }
  }

  private renderForm() {
    if (this.form === "acknowledge") {
      return html`<form class="form" @submit=${this.acknowledge}>
        <label>Note (optional) <input name="note" maxlength="500" autocomplete="off" /></label>
        <button class="primary" type="submit" ?disabled=${this.busy}>Acknowledge</button>
        <button type="button" @click=${() => this.toggle("none")}>Cancel</button>
      </form>`;
    }
    if (this.form === "silence") {
      return html`<form class="form" @submit=${this.silenceUntil}>
        <button class="primary" type="button" @click=${this.silenceHour} ?disabled=${this.busy}>For 1 hour</button>
        <label>Until <input name="until" type="datetime-local" required /></label>
        <button type="submit" ?disabled=${this.busy}>Silence until</button>
        <button type="button" @click=${() => this.toggle("none")}>Cancel</button>
      </form>`;
    }
    return nothing;
  }

  private toggle(form: Form): void {
    this.form = this.form === form ? "none" : form;
    this.error = "";
    if (this.form !== "none") {
      this.updateComplete.then(() =>
        (this.renderRoot.querySelector(".form input, .form button") as HTMLElement | null)?.focus(),
      );
    }
  }

  private async call(message: Record<string, unknown>): Promise<void> {
    if (!this.hass) return;
    this.busy = true;
    this.error = "";
    try {
      await this.hass.callWS({ ...message, target_id: this.target.id });
      this.form = "none";
    } catch (err) {
      this.error = (err as { message?: string }).message ?? String(err);
    } finally {
      this.busy = false;
    }
  }

  private acknowledge(ev: SubmitEvent): void {
    ev.preventDefault();
    const note = new FormData(ev.target as HTMLFormElement).get("note");
    this.call({ type: "pialert/acknowledge", ...(note ? { note } : {}) });
  }

  private silenceHour(): void {
    this.call({ type: "pialert/silence", duration: 3600, comment: "Silenced from the card" });
  }

  private silenceUntil(ev: SubmitEvent): void {
    ev.preventDefault();
    const until = String(new FormData(ev.target as HTMLFormElement).get("until") ?? "");
    const endsAt = laterIso(until, Date.now());
    if (!endsAt) {
      this.error = "Choose a time in the future.";
      return;
    }
    this.call({ type: "pialert/silence", ends_at: endsAt, comment: "Silenced from the card" });
  }

  private unsilence(): void {
    this.call({ type: "pialert/unsilence" });
  }

  private barKey(ev: KeyboardEvent): void {
    const count = this.target.checks.length;
    if (!count) return;
    if (ev.key === "ArrowRight" || ev.key === "ArrowLeft") {
      ev.preventDefault();
      const step = ev.key === "ArrowRight" ? 1 : -1;
      const from = this.pickedBar < 0 ? (step > 0 ? -1 : count) : this.pickedBar;
      this.pickedBar = Math.min(count - 1, Math.max(0, from + step));
    } else if (ev.key === "Escape") {
      this.pickedBar = -1;
    }
  }

  private barPointer(ev: PointerEvent | MouseEvent): void {
    const box = (ev.currentTarget as HTMLElement).getBoundingClientRect();
    const index = Math.floor((ev.clientX - box.left) / (BAR_WIDTH + BAR_GAP));
    this.pickedBar = index >= 0 && index < this.target.checks.length ? index : -1;
  }

  static styles = [
    themeStyles,
    css`
      :host {
        display: block;
        content-visibility: auto;
        contain-intrinsic-size: auto 64px;
      }
      .row {
        display: grid;
        grid-template-columns: 12px 1fr auto;
        gap: var(--pa-gap);
        padding: 10px 0;
        border-bottom: 1px solid var(--divider-color, rgba(127, 127, 127, 0.2));
      }
      .dot {
        width: 12px;
        height: 12px;
        border-radius: 50%;
        margin-top: 4px;
        background: var(--pa-color);
      }
      .status-down { --pa-color: var(--pa-down); }
      .status-unreachable { --pa-color: var(--pa-unreachable); }
      .status-pending { --pa-color: var(--pa-pending); }
      .status-unknown { --pa-color: var(--pa-unknown); }
      .status-up { --pa-color: var(--pa-up); }
      .status-paused { --pa-color: var(--pa-paused); }
      .main { min-width: 0; }
      .head {
        display: flex;
        flex-wrap: wrap;
        gap: 0 var(--pa-gap);
        align-items: baseline;
      }
      .name { font-weight: 500; overflow-wrap: anywhere; }
      .status { color: var(--pa-color); font-size: 0.9em; font-weight: 500; }
      .since { color: var(--secondary-text-color); font-weight: 400; }
      .why {
        color: var(--secondary-text-color);
        font-size: 0.875em;
        overflow-wrap: anywhere;
      }
      .figures {
        display: flex;
        flex-direction: column;
        align-items: flex-end;
        font-variant-numeric: tabular-nums;
        font-size: 0.9em;
      }
      .ms { color: var(--secondary-text-color); }
      .details {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 4px 12px;
      }
      .bars { line-height: 0; border-radius: 2px; max-width: 100%; overflow: hidden; }
      .ok { fill: var(--pa-up); }
      .failed { fill: var(--pa-down); }
      rect.picked { stroke: var(--primary-text-color); stroke-width: 1.5; }
      .uptimes {
        display: flex;
        gap: 10px;
        font-size: 0.8em;
        color: var(--secondary-text-color);
        font-variant-numeric: tabular-nums;
      }
      .bar-detail { font-size: 0.8em; color: var(--secondary-text-color); overflow-wrap: anywhere; }
      .foot {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        justify-content: space-between;
        gap: 6px 16px;
        margin-top: 4px;
      }
      .actions { display: flex; flex-wrap: wrap; gap: 6px; }
      .form {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 6px;
        margin-top: 6px;
      }
      .form label { display: flex; gap: 6px; align-items: center; font-size: 0.875em; }
      .error { color: var(--error-color); font-size: 0.875em; margin-top: 4px; }
      @media (max-width: 450px) {
        .row { grid-template-columns: 10px 1fr; }
        .figures { grid-column: 2; flex-direction: row; gap: 10px; align-items: baseline; }
      }
    `,
  ];
}

declare global {
  interface HTMLElementTagNameMap {
    "pialert-target-row": PiAlertTargetRow;
  }
}
