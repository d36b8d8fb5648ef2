// Creates an app the way Kintone's API does: preview app, preview fields,
// deploy, then wait until the deploy status says SUCCESS.
import { setTimeout as sleep } from "node:timers/promises";

export const testFields = {
  title: { type: "SINGLE_LINE_TEXT", code: "title", label: "Title", unique: true },
  num: { type: "NUMBER", code: "num", label: "Num" },
  tags: {
    type: "CHECK_BOX",
    code: "tags",
    label: "Tags",
    options: { red: { label: "red", index: "0" }, blue: { label: "blue", index: "1" } },
  },
  day: { type: "DATE", code: "day", label: "Day" },
  items: {
    type: "SUBTABLE",
    code: "items",
    label: "Items",
    fields: {
      product: { type: "SINGLE_LINE_TEXT", code: "product", label: "Product" },
      qty: { type: "NUMBER", code: "qty", label: "Qty" },
    },
  },
};

export async function createApp(client, name, properties = testFields) {
  const { app, revision } = await client.app.addApp({ name });
  await client.app.addFormFields({ app, properties, revision });
  await client.app.deployApp({ apps: [{ app }] });
  for (let i = 0; i < 100; i++) {
    const { apps } = await client.app.getDeployStatus({ apps: [app] });
    if (apps[0].status === "SUCCESS") return Number(app);
    if (apps[0].status !== "PROCESSING") throw new Error(`deploy of app ${app}: ${apps[0].status}`);
    await sleep(20);
  }
  throw new Error(`deploy of app ${app} did not finish`);
}

export function makeRecords(n, from = 0) {
  return Array.from({ length: n }, (_, i) => ({
    title: { value: `rec-${from + i}` },
    num: { value: String(from + i) },
    tags: { value: (from + i) % 2 ? ["red"] : ["blue"] },
  }));
}
