import { css } from "lit";

/** Home Assistant's theme variables, so light, dark and custom themes apply. */
export const themeStyles = css`
  :host {
    --pa-down: var(--error-color, #db4437);
    --pa-unreachable: var(--purple-color, #926bc7);
    --pa-pending: var(--warning-color, #ffa600);
    --pa-unknown: var(--secondary-text-color, #727272);
    --pa-up: var(--success-color, #43a047);
    --pa-paused: var(--disabled-text-color, #bdbdbd);
    --pa-gap: 8px;
    color: var(--primary-text-color);
  }
  button {
    font: inherit;
    font-size: 0.875em;
    color: var(--primary-color);
    background: transparent;
    border: 1px solid var(--divider-color, #ccc);
    border-radius: 16px;
    padding: 4px 12px;
    min-height: 32px;
    cursor: pointer;
  }
  button:hover {
    background: var(--secondary-background-color, rgba(127, 127, 127, 0.12));
  }
  button:focus-visible,
  input:focus-visible,
  textarea:focus-visible,
  select:focus-visible,
  [tabindex]:focus-visible {
    outline: 2px solid var(--primary-color);
    outline-offset: 2px;
  }
  button.primary {
    background: var(--primary-color);
    color: var(--text-primary-color, #fff);
    border-color: var(--primary-color);
  }
  input,
  textarea,
  select {
    font: inherit;
    color: var(--primary-text-color);
    background: var(--card-background-color, var(--primary-background-color));
    border: 1px solid var(--divider-color, #ccc);
    border-radius: 4px;
    padding: 6px 8px;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
`;
