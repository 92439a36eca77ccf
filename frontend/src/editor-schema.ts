/** The card editor's form, as Home Assistant's `ha-form` schema. */
import type { CardConfig } from "./types";

export interface SchemaItem {
  name: keyof CardConfig;
  selector: Record<string, unknown>;
}

export const LABELS: Record<string, string> = {
  title: "Title",
  show: "Targets to show",
  tags: "Tags",
  targets: "Targets",
  mode: "Layout",
};

/** Builds the form Home Assistant's `ha-form` shows for the card. */
export function editorSchema(
  config: CardConfig,
  tags: string[],
  targets: { value: string; label: string }[],
): SchemaItem[] {
  const schema: SchemaItem[] = [
    { name: "title", selector: { text: {} } },
    {
      name: "show",
      selector: {
        select: {
          mode: "list",
          options: [
            { value: "all", label: "All targets" },
            { value: "tags", label: "Targets with one of these tags" },
            { value: "targets", label: "Only the targets picked here" },
          ],
        },
      },
    },
  ];
  if (config.show === "tags") {
    schema.push({
      name: "tags",
      selector: { select: { multiple: true, custom_value: true, options: tags } },
    });
  }
  if (config.show === "targets") {
    schema.push({ name: "targets", selector: { select: { multiple: true, options: targets } } });
  }
  schema.push({
    name: "mode",
    selector: {
      select: {
        mode: "list",
        options: [
          { value: "compact", label: "Compact: status and why" },
          { value: "detailed", label: "Detailed: also history bars, response times, uptime" },
        ],
      },
    },
  });
  return schema;
}

