import { LitElement, css, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { describeChannel, describeOutcome, describeWhat } from "./deliveries";
import { TargetFeed } from "./feed";
import {
  STATUS_ORDER,
  STATUS_TEXT,
  allTags,
  filterTargets,
  formatSpan,
  formatTime,
  lastResult,
  sortTargets,
} from "./logic";
import { themeStyles } from "./styles";
import "./target-list";
import type { Delivery, HomeAssistant, Incident, Mode, Status, TargetView } from "./types";

const INCIDENT_REFRESH_MS = 1000;
const DELIVERIES_SHOWN = 25;
const CLOCK_MS = 30_000;

/** The "PiAlert" sidebar panel: every target full-width, filters, incidents, notifications. */
@customElement("pialert-panel")
export class PiAlertPanel extends LitElement {
  @property({ type: Boolean }) narrow = false;
  @state() private search = "";
  @state() private statuses = new Set<Status>();
  @state() private tag = "";
  @state() private mode: Mode = "detailed";
  @state() private incidents: Incident[] = [];
  @state() private deliveries: Delivery[] = [];
  @state() private now = Date.now();
  private hassValue?: HomeAssistant;
  private readonly feed = new TargetFeed(this, () => this.scheduleIncidents());
  private incidentTimer?: ReturnType<typeof setTimeout>;
  private clock?: ReturnType<typeof setInterval>;
  /** Filtered and sorted again only when the feed or a filter changed, not on every clock tick. */
  private readonly chosen = lastResult(
    (_version: number, search: string, statuses: ReadonlySet<Status>, tag: string) => {
      const all: TargetView[] = [...this.feed.targets.values()];
      const shown = sortTargets(filterTargets(all, { search, statuses, tag }));
      const counts = new Map<Status, number>();
      for (const t of all) counts.set(t.status, (counts.get(t.status) ?? 0) + 1);
      return { all, shown, counts, tags: allTags(all) };
    },
  );

  @property({ attribute: false })
  set hass(hass: HomeAssistant | undefined) {
    const first = !this.hassValue && hass;
    this.hassValue = hass;
    this.feed.setHass(hass);
    if (first) this.scheduleIncidents();
  }
  get hass(): HomeAssistant | undefined {
    return this.hassValue;
  }

  connectedCallback(): void {
    super.connectedCallback();
    this.clock = setInterval(() => (this.now = Date.now()), CLOCK_MS);
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.clock);
    clearTimeout(this.incidentTimer);
  }

  private scheduleIncidents(): void {
    clearTimeout(this.incidentTimer);
    this.incidentTimer = setTimeout(() => this.loadIncidents(), INCIDENT_REFRESH_MS);
  }

  private async loadIncidents(): Promise<void> {
    if (!this.hass) return;
    void this.loadDeliveries();
    try {
      const answer = await this.hass.callWS<{ incidents: Incident[] }>({
        type: "pialert/incidents",
        limit: 50,
      });
      this.incidents = answer.incidents;
    } catch {
      this.incidents = [];
    }
  }

  private async loadDeliveries(): Promise<void> {
    if (!this.hass) return;
    try {
      const answer = await this.hass.callWS<{ deliveries: Delivery[] }>({
        type: "pialert/deliveries",
        limit: DELIVERIES_SHOWN,
      });
      this.deliveries = answer.deliveries;
    } catch {
      this.deliveries = [];
    }
  }

  protected render() {
    const { all, shown, counts, tags } = this.chosen(this.feed.version, this.search, this.statuses, this.tag);
    const statuses = (Object.keys(STATUS_ORDER) as Status[]).filter((s) => counts.get(s));
    const open = this.incidents.filter((i) => i.ended_at === null);
    const recent = this.incidents.filter((i) => i.ended_at !== null).slice(0, 20);
    return html`
      <div class="toolbar">
        <ha-menu-button .hass=${this.hass} .narrow=${this.narrow}></ha-menu-button>
        <h1>PiAlert</h1>
      </div>
      <main>
        <section class="targets" aria-labelledby="targets-title">
          <h2 id="targets-title">Targets <span class="count">${shown.length} of ${all.length}</span></h2>
          <div class="filters">
            <label class="search">
              <span class="visually-hidden">Search targets</span>
              <input
                type="search"
                placeholder="Search by name, kind or tag"
                .value=${this.search}
                @input=${(e: Event) => (this.search = (e.target as HTMLInputElement).value)}
              />
            </label>
            <div class="chips" role="group" aria-label="Filter by status">
              ${statuses.map(
                (s) => html`<button
                  class="chip status-${s}"
                  aria-pressed=${this.statuses.has(s)}
                  @click=${() => this.toggleStatus(s)}
                >${STATUS_TEXT[s]} ${counts.get(s)}</button>`,
              )}
            </div>
            <label>
              Tag
              <select @change=${(e: Event) => (this.tag = (e.target as HTMLSelectElement).value)}>
                <option value="" ?selected=${!this.tag}>Any</option>
                ${tags.map((t) => html`<option ?selected=${t === this.tag}>${t}</option>`)}
              </select>
            </label>
            <button
              aria-pressed=${this.mode === "detailed"}
              @click=${() => (this.mode = this.mode === "detailed" ? "compact" : "detailed")}
            >Details</button>
          </div>
          ${this.feed.error ? html`<p role="alert">${this.feed.error}</p>` : nothing}
          <pialert-target-list
            .hass=${this.hass}
            .targets=${shown}
            .mode=${this.mode}
            .now=${this.now}
            label="Targets"
          ></pialert-target-list>
        </section>
        <section class="incidents" aria-labelledby="incidents-title">
          <h2 id="incidents-title">Open incidents</h2>
          ${open.length ? this.renderIncidents(open) : html`<p class="quiet">None: everything that is watched is fine.</p>`}
          <h2>Recent incidents</h2>
          ${recent.length ? this.renderIncidents(recent) : html`<p class="quiet">No incidents yet.</p>`}
        </section>
        <section class="deliveries" aria-labelledby="deliveries-title">
          <h2 id="deliveries-title">Recent notifications</h2>
          ${this.deliveries.length
            ? this.renderDeliveries()
            : html`<p class="quiet">No notifications sent yet.</p>`}
        </section>
      </main>
    `;
  }

  private renderIncidents(incidents: Incident[]) {
    const locale = this.hass?.locale?.language;
    return html`<ul>
      ${incidents.map((i) => {
        const seconds = i.duration_seconds ?? (this.now - Date.parse(i.started_at)) / 1000;
        return html`<li class=${i.ended_at ? "closed" : "open"}>
          <div class="incident-head">
            <strong>${i.target_name}</strong>
            <span>${formatTime(i.started_at, locale)} · ${i.ended_at ? "lasted" : "for"} ${formatSpan(seconds)}</span>
          </div>
          <div class="quiet">${i.last_error ?? i.first_error ?? ""}</div>
          ${i.acknowledged_by
            ? html`<div class="quiet">Acknowledged by ${i.acknowledged_by}${i.acknowledgement_note ? `: ${i.acknowledgement_note}` : ""}</div>`
            : nothing}
        </li>`;
      })}
    </ul>`;
  }

  private renderDeliveries() {
    const locale = this.hass?.locale?.language;
    return html`<div class="table-scroll">
      <table aria-labelledby="deliveries-title">
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Rule</th>
            <th scope="col">Event</th>
            <th scope="col">Channel</th>
            <th scope="col">Outcome</th>
            <th scope="col">Message</th>
          </tr>
        </thead>
        <tbody>
          ${this.deliveries.map(
            (d) => html`<tr>
              <td><time datetime=${d.time}>${formatTime(d.time, locale)}</time></td>
              <td>${d.rule}</td>
              <td>${describeWhat(d.what)}</td>
              <td class="channel">${describeChannel(d.channel)}</td>
              <td class="outcome-${d.status}">${describeOutcome(d.status, d.error)}</td>
              <td>${d.message}</td>
            </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }

  private toggleStatus(status: Status): void {
    const next = new Set(this.statuses);
    if (!next.delete(status)) next.add(status);
    this.statuses = next;
  }

  static styles = [
    themeStyles,
    css`
      :host {
        display: block;
        min-height: 100vh;
        background: var(--primary-background-color);
      }
      .toolbar {
        display: flex;
        align-items: center;
        gap: 8px;
        height: var(--header-height, 56px);
        padding: 0 12px;
        background: var(--app-header-background-color, var(--primary-color));
        color: var(--app-header-text-color, #fff);
        border-bottom: var(--app-header-border-bottom, none);
      }
      h1 {
        margin: 0;
        font-size: 20px;
        font-weight: 400;
      }
      main {
        display: grid;
        grid-template-columns: minmax(0, 2fr) minmax(260px, 1fr);
        gap: 16px;
        padding: 16px;
        max-width: 1600px;
        margin: 0 auto;
      }
      section {
        background: var(--card-background-color);
        border-radius: var(--ha-card-border-radius, 12px);
        border: var(--ha-card-border-width, 1px) solid var(--ha-card-border-color, var(--divider-color));
        padding: 12px 16px;
        min-width: 0;
      }
      h2 {
        font-size: 18px;
        font-weight: 500;
        margin: 8px 0;
      }
      .count {
        color: var(--secondary-text-color);
        font-weight: 400;
        font-size: 0.85em;
      }
      .filters {
        display: flex;
        flex-wrap: wrap;
        gap: 8px;
        align-items: center;
        margin-bottom: 8px;
      }
      .search input {
        min-width: 220px;
      }
      .chips {
        display: flex;
        flex-wrap: wrap;
        gap: 6px;
      }
      button[aria-pressed="true"] {
        background: var(--primary-color);
        color: var(--text-primary-color, #fff);
      }
      .chip.status-down { border-color: var(--pa-down); }
      .chip.status-unreachable { border-color: var(--pa-unreachable); }
      .chip.status-pending { border-color: var(--pa-pending); }
      .chip.status-up { border-color: var(--pa-up); }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      li {
        padding: 8px 0 8px 10px;
        border-left: 3px solid var(--pa-up);
        margin-bottom: 8px;
      }
      li.open {
        border-left-color: var(--pa-down);
      }
      .incident-head {
        display: flex;
        flex-wrap: wrap;
        justify-content: space-between;
        gap: 4px 8px;
      }
      .quiet {
        color: var(--secondary-text-color);
        font-size: 0.875em;
      }
      .deliveries {
        grid-column: 1 / -1;
      }
      .table-scroll {
        overflow-x: auto;
      }
      table {
        width: 100%;
        border-collapse: collapse;
        font-size: 0.875em;
      }
      th {
        text-align: start;
        font-weight: 500;
        color: var(--secondary-text-color);
      }
      th,
      td {
        padding: 6px 8px;
        border-bottom: 1px solid var(--divider-color);
        vertical-align: top;
      }
      td.channel {
        overflow-wrap: anywhere;
      }
      .outcome-failed {
        color: var(--error-color);
      }
      .outcome-retrying,
      .outcome-queued {
        color: var(--warning-color);
      }
      @media (max-width: 870px) {
        main {
          grid-template-columns: 1fr;
          padding: 8px;
        }
        .search input {
          min-width: 0;
          width: 100%;
        }
        .search {
          flex-basis: 100%;
        }
      }
    `,
  ];
}

declare global {
  interface HTMLElementTagNameMap {
    "pialert-panel": PiAlertPanel;
  }
}
