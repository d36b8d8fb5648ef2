// The official client's side of the comparison harness (go run ./bench):
// runs one task, given as JSON on stdin, with Cybozu's
// @kintone/rest-api-client the way its README shows, and prints
// {"ms": wall time of the job alone, "cpuMs": the process's CPU time
// (user and system, process.cpuUsage) during it, "rows": rows read,
// counted or changed, "peakRSS": bytes}.
//
// Before the clock starts, one call (the app's form fields) opens the
// connection and warms the client's code paths, as the driver's side warms
// its schema cache; the emulator's counters are then reset, so the harness
// counts this job's requests only. Right before the clock starts and right
// after it stops, it tells the harness (t.marks: /start, /end), which
// measures the emulator's CPU time in between (bench/marks.go). Records to insert are built
// before the clock starts too, with the formulas of bench/app.go
// (rowValues): keep the two in step.
import { KintoneRestAPIClient } from "@kintone/rest-api-client";
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";

const pad2 = (n) => String(n).padStart(2, "0");
const colors = ["red", "green", "blue"];

// record i as record JSON for a write, like rowValues(i, batch) in app.go.
function record(i, batch) {
  const r = {
    title: { value: `record ${i}` },
    num: { value: String((i * 7) % 1000) },
    amount: { value: `${(i * 37) % 100000}.${pad2(i % 100)}` },
    color: { value: colors[i % 3] },
    day: { value: `2026-${pad2(1 + (i % 12))}-${pad2(1 + (i % 28))}` },
    at: { value: `2026-${pad2(1 + (i % 12))}-${pad2(1 + (i % 28))}T${pad2(i % 24)}:${pad2(i % 60)}:00Z` },
    tags: { value: ["a", "b", "c"].slice(0, 1 + (i % 3)) },
    batch: { value: batch },
    notes: { value: `note ${i}\nsecond line` },
    link: { value: `https://example.com/r/${i}` },
  };
  for (let j = 10; j < 20; j++) r[`text${j}`] = { value: `value ${(i * j) % 9973}` };
  return r;
}

// peakRSS is the process's peak resident set in bytes (VmHWM), 0 where
// /proc is missing. (process.resourceUsage().maxRSS would include the
// parent's peak, which Linux carries into a child across exec.)
function peakRSS() {
  try {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync("/proc/self/status", "utf8"));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

async function readStdin() {
  const chunks = [];
  for await (const c of process.stdin) chunks.push(c);
  return JSON.parse(Buffer.concat(chunks).toString("utf8"));
}

async function mark(marks, event) {
  if (!marks) return;
  const res = await fetch(`${marks}${event}`, { method: "POST" });
  if (res.status !== 204) throw new Error(`mark ${event}: ${res.status} ${await res.text()}`);
}

async function resetStats(control) {
  const res = await fetch(`${control}stats`, { method: "DELETE" });
  if (!res.ok) throw new Error(`resetting the emulator's counters: ${res.status} ${await res.text()}`);
}

// idsAndRevisions reads the $id and $revision of the records that match
// condition: what updating or deleting by a condition takes with this client.
async function idsAndRevisions(client, t) {
  const recs = await client.record.getAllRecords({ app: t.app, condition: t.condition, fields: ["$id", "$revision"] });
  return recs.map((r) => ({ id: r.$id.value, revision: r.$revision.value }));
}

// The join jobs, written by hand as a user of this client would: read both
// apps with getAllRecords (only the fields the result needs), index the
// customers by code in a Map and join in JavaScript. For the small join,
// the selected orders first, then their customers by "code in (...)", 500
// codes a query (a page's worth; the client sends a long query as a POST
// with X-HTTP-Method-Override); for the customers of a region, those
// customers first, then their orders by "customer in (...)", 500 codes a
// query. Field codes as in bench/joinapp.go.
const orderFields = ["seq", "amount", "customer"];
const quote = (s) => `"${s.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`;

async function customersByCode(client, t, fields, codes) {
  const byCode = new Map();
  for (let i = 0; i < codes.length; i += 500) {
    const chunk = codes.slice(i, i + 500);
    const recs = await client.record.getAllRecords({
      app: t.customersApp,
      condition: `code in (${chunk.map(quote).join(", ")})`,
      fields,
    });
    for (const c of recs) byCode.set(c.code.value, c);
  }
  return byCode;
}

async function allCustomers(client, t, fields) {
  const byCode = new Map();
  for (const c of await client.record.getAllRecords({ app: t.customersApp, fields })) byCode.set(c.code.value, c);
  return byCode;
}

// joinRows joins orders to customers (left: keeping orders with none) into
// rows of seq, amount and the customer's name, and returns how many.
function joinRows(orders, byCode, left) {
  const rows = [];
  for (const o of orders) {
    const c = byCode.get(o.customer.value);
    if (c) rows.push([o.seq.value, o.amount.value, c.name.value]);
    else if (left) rows.push([o.seq.value, o.amount.value, null]);
  }
  return rows.length;
}

// The fields a copy writes, as in bench/app.go (insertColumns).
const copyFields = [
  "title", "num", "amount", "color", "day", "at", "tags", "batch", "notes", "link",
  ...Array.from({ length: 10 }, (_, k) => `text${10 + k}`),
];

const jobs = {
  "read-all": async (client, t) => (await client.record.getAllRecords({ app: t.app })).length,
  // Reads of 300 records by $id, as a user who does not know how many
  // there are reads them: getAllRecords (a $id seek; with orderBy, a cursor).
  "read-small": async (client, t) =>
    (await client.record.getAllRecords({ app: t.app, condition: t.condition })).length,
  "read-small-ordered": async (client, t) =>
    (await client.record.getAllRecords({ app: t.app, condition: t.condition, orderBy: t.orderBy })).length,
  "read-filter": async (client, t) =>
    (await client.record.getAllRecords({ app: t.app, condition: t.condition })).length,
  "read-ordered": async (client, t) =>
    (await client.record.getAllRecords({ app: t.app, orderBy: t.orderBy })).length,
  count: async (client, t) => {
    const res = await client.record.getRecords({
      app: t.app,
      query: `${t.condition} limit 1`,
      fields: ["$id"],
      totalCount: true,
    });
    return Number(res.totalCount);
  },
  "join-small": async (client, t) => {
    const orders = await client.record.getAllRecords({ app: t.app, condition: t.condition, fields: orderFields });
    const codes = [...new Set(orders.map((o) => o.customer.value))];
    return joinRows(orders, await customersByCode(client, t, ["code", "name"], codes), false);
  },
  "join-region": async (client, t) => {
    const custs = await client.record.getAllRecords({ app: t.customersApp, condition: t.condition, fields: ["code", "name"] });
    const byCode = new Map(custs.map((c) => [c.code.value, c]));
    const codes = [...byCode.keys()];
    let orders = [];
    for (let i = 0; i < codes.length; i += 500) {
      const chunk = codes.slice(i, i + 500);
      const recs = await client.record.getAllRecords({
        app: t.app,
        condition: `customer in (${chunk.map(quote).join(", ")})`,
        fields: orderFields,
      });
      orders = orders.concat(recs);
    }
    return joinRows(orders, byCode, false);
  },
  "join-all": async (client, t) => {
    const orders = await client.record.getAllRecords({ app: t.app, fields: orderFields });
    return joinRows(orders, await allCustomers(client, t, ["code", "name"]), false);
  },
  // The same join, written from the customers' side: by hand it is the
  // same code.
  "join-reversed": async (client, t) => {
    const orders = await client.record.getAllRecords({ app: t.app, fields: orderFields });
    return joinRows(orders, await allCustomers(client, t, ["code", "name"]), false);
  },
  "left-join": async (client, t) => {
    const orders = await client.record.getAllRecords({ app: t.app, fields: orderFields });
    return joinRows(orders, await allCustomers(client, t, ["code", "name"]), true);
  },
  "join-group": async (client, t) => {
    const orders = await client.record.getAllRecords({ app: t.app, fields: ["amount", "customer"] });
    const byCode = await allCustomers(client, t, ["code", "region"]);
    const sums = new Map(); // region -> sum of amounts, in hundredths
    for (const o of orders) {
      const c = byCode.get(o.customer.value);
      if (!c) continue;
      const region = c.region.value;
      sums.set(region, (sums.get(region) ?? 0) + Math.round(Number(o.amount.value) * 100));
    }
    return sums.size;
  },
  // The copy: every matching record's fields, then added to the target app.
  "insert-select": async (client, t) => {
    const recs = await client.record.getAllRecords({ app: t.app, condition: t.condition, fields: copyFields });
    const records = recs.map((r) => Object.fromEntries(copyFields.map((f) => [f, { value: r[f].value }])));
    return (await client.record.addAllRecords({ app: t.targetApp, records })).records.length;
  },
  insert: async (client, t, records) => (await client.record.addAllRecords({ app: t.app, records })).records.length,
  update: async (client, t) => {
    const recs = await idsAndRevisions(client, t);
    const res = await client.record.updateAllRecords({
      app: t.app,
      records: recs.map(({ id, revision }) => ({ id, revision, record: { title: { value: "updated" } } })),
    });
    return res.records.length;
  },
  delete: async (client, t) => {
    const recs = await idsAndRevisions(client, t);
    await client.record.deleteAllRecords({ app: t.app, records: recs });
    return recs.length;
  },
};

const t = await readStdin();
const run = jobs[t.job];
if (!run) throw new Error(`unknown job ${t.job}`);
const client = new KintoneRestAPIClient({
  baseUrl: t.baseUrl,
  auth: { username: t.user, password: t.password },
});
const records = t.job === "insert" ? Array.from({ length: t.n }, (_, i) => record(i, t.batch)) : undefined;
await client.app.getFormFields({ app: t.app });
if (t.customersApp) await client.app.getFormFields({ app: t.customersApp });
if (t.targetApp) await client.app.getFormFields({ app: t.targetApp });
await resetStats(t.control);
await mark(t.marks, "start");
const cpu0 = process.cpuUsage();
const start = performance.now();
const rows = await run(client, t, records);
const ms = performance.now() - start;
const cpu = process.cpuUsage(cpu0);
await mark(t.marks, "end");
const cpuMs = (cpu.user + cpu.system) / 1000;
process.stdout.write(JSON.stringify({ ms, cpuMs, rows, peakRSS: peakRSS() }) + "\n");
