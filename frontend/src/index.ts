/** PiAlert's front end: the Lovelace card, its editor and the sidebar panel. */
import "./card";
import "./editor";
import "./panel";

interface CustomCardEntry {
  type: string;
  name: string;
  description: string;
  preview?: boolean;
  documentationURL?: string;
}

declare global {
  interface Window {
    customCards?: CustomCardEntry[];
  }
}

window.customCards = window.customCards ?? [];
if (!window.customCards.some((card) => card.type === "pialert-card")) {
  window.customCards.push({
    type: "pialert-card",
    name: "PiAlert",
    description:
      "Your PiAlert targets, what needs attention first: status, history bars, uptime, acknowledge and silence.",
    preview: true,
    documentationURL: "https://github.com/pialert/pialert-homeassistant#dashboard-card-and-panel",
  });
}
