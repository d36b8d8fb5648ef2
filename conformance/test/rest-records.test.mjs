// @kintone/rest-api-client 6.2.1 reading and writing records: the calls and
// paging strategies recorded in shared/kintone/client-transcripts/rest-*.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { KintoneRestAPIClient, KintoneRestAPIError } from "@kintone/rest-api-client";
import { startEmulator } from "./emulator.mjs";
import { createApp, makeRecords } from "./apps.mjs";

let emu, client, app;

before(async () => {
  emu = await startEmulator();
  client = new KintoneRestAPIClient({ baseUrl: emu.baseUrl, auth: { username: "admin", password: "admin" } });
  app = await createApp(client, "conformance records");
});
after(async () => emu && (await emu.stop()));

async function count(condition = "") {
  const r = await client.record.getRecords({ app, query: `${condition} limit 1`, totalCount: true });
  return Number(r.totalCount);
}

async function requestsSince(fn) {
  await emu.control("DELETE", "stats");
  await fn();
  return (await emu.control("GET", "requests")).filter((r) => r.path.startsWith("/k/"));
}

test("addAllRecords 3000 goes as bulkRequests of 20 x 100 and lands atomically", async () => {
  let result;
  const reqs = await requestsSince(async () => {
    result = await client.record.addAllRecords({ app, records: makeRecords(3000) });
  });
  assert.equal(result.records.length, 3000);
  assert.deepEqual(reqs.map((r) => `${r.method} ${r.resource}`), ["POST bulkRequest", "POST bulkRequest"]);
  assert.equal(await count(), 3000);
});

test("getRecords with fields, query and totalCount", async () => {
  const r = await client.record.getRecords({
    app,
    fields: ["$id", "title", "num"],
    query: 'num >= 10 and num < 20 and tags in ("red") order by num desc limit 3 offset 1',
    totalCount: true,
  });
  assert.equal(r.totalCount, "5");
  assert.deepEqual(r.records.map((x) => x.num.value), ["17", "15", "13"]);
  assert.deepEqual(Object.keys(r.records[0]).sort(), ["$id", "num", "title"]);
  assert.equal(r.records[0].num.type, "NUMBER");
});

test("getRecords with no query uses the server default: order by $id desc limit 100", async () => {
  const r = await client.record.getRecords({ app });
  assert.equal(r.records.length, 100);
  const ids = r.records.map((x) => Number(x.$id.value));
  assert.deepEqual(ids, [...ids].sort((a, b) => b - a));
  assert.equal(r.totalCount, null);
});

test("a GET longer than 4096 characters arrives as POST + X-HTTP-Method-Override", async () => {
  const titles = Array.from({ length: 400 }, (_, i) => `"rec-${i}"`).join(",");
  let r;
  const reqs = await requestsSince(async () => {
    r = await client.record.getRecords({ app, query: `title in (${titles}) limit 500`, totalCount: true });
  });
  assert.equal(r.totalCount, "400");
  assert.equal(reqs[0].method, "POST");
  assert.equal(reqs[0].effectiveMethod, "GET");
});

test("getAllRecords without orderBy seeks on $id in 500-record pages", async () => {
  let recs;
  const reqs = await requestsSince(async () => {
    recs = await client.record.getAllRecords({ app, condition: "num >= 1000", fields: ["num"] });
  });
  assert.equal(recs.length, 2000);
  assert.equal(reqs.length, 5); // 4 full pages + the empty one that ends the seek
  const nums = recs.map((x) => Number(x.num.value));
  assert.deepEqual(nums, [...nums].sort((a, b) => a - b));
});

test("getAllRecords with orderBy reads through a cursor; withCursor:false pages by offset", async () => {
  let recs;
  const reqs = await requestsSince(async () => {
    recs = await client.record.getAllRecords({ app, condition: "num < 1200", orderBy: "num desc" });
  });
  assert.equal(recs.length, 1200);
  assert.equal(recs[0].num.value, "1199");
  assert.equal(recs[1199].num.value, "0");
  assert.deepEqual(reqs.map((r) => `${r.effectiveMethod} ${r.resource}`), [
    "POST records/cursor", "GET records/cursor", "GET records/cursor", "GET records/cursor",
  ]);
  assert.equal((await emu.control("GET", "stats")).openCursors, 0);

  const byOffset = await client.record.getAllRecords({ app, condition: "num < 1200", orderBy: "num desc", withCursor: false });
  assert.deepEqual(byOffset.map((x) => x.num.value), recs.map((x) => x.num.value));
});

test("a cursor by hand: create, read one page, delete", async () => {
  const { id, totalCount } = await client.record.createCursor({ app, fields: ["num"], query: "num < 10 order by num asc" });
  assert.equal(totalCount, "10");
  const page = await client.record.getRecordsByCursor({ id });
  assert.equal(page.next, false);
  assert.equal(page.records.length, 10);
  const { id: id2 } = await client.record.createCursor({ app, size: 2 });
  await client.record.deleteCursor({ id: id2 });
  await assert.rejects(client.record.getRecordsByCursor({ id: id2 }), (e) => e instanceof KintoneRestAPIError && e.status === 404 && e.code === "GAIA_CN01");
});

test("updateAllRecords by id with revisions, and upsert by updateKey", async () => {
  const first = await client.record.getRecords({ app, fields: ["$id", "$revision"], query: "order by $id asc limit 500" });
  const records = first.records.map((r, i) => ({
    id: r.$id.value,
    record: { num: { value: String(100000 + i) } },
    ...(i === 0 ? { revision: r.$revision.value } : {}),
  }));
  const res = await client.record.updateAllRecords({ app, records });
  assert.equal(res.records.length, 500);
  assert.equal(res.records[0].revision, String(Number(first.records[0].$revision.value) + 1));
  assert.equal(await count("num >= 100000"), 500);

  const up = await client.record.updateAllRecords({
    app,
    upsert: true,
    records: [
      { updateKey: { field: "title", value: "rec-1" }, record: { num: { value: "-1" } } },
      { updateKey: { field: "title", value: "brand new" }, record: { num: { value: "-2" } } },
    ],
  });
  assert.deepEqual(up.records.map((r) => r.operation), ["UPDATE", "INSERT"]);
  assert.equal(await count('title = "brand new"'), 1);
});

test("a stale revision is a 409 GAIA_CO02 and changes nothing", async () => {
  const { records } = await client.record.getRecords({ app, fields: ["$id", "$revision", "num"], query: "order by $id asc limit 1" });
  const rec = records[0];
  await client.record.updateRecord({ app, id: rec.$id.value, record: { num: { value: "7" } } });
  await assert.rejects(
    client.record.updateRecord({ app, id: rec.$id.value, record: { num: { value: "8" } }, revision: rec.$revision.value }),
    (e) => e instanceof KintoneRestAPIError && e.status === 409 && e.code === "GAIA_CO02",
  );
  const { record } = await client.record.getRecord({ app, id: rec.$id.value });
  assert.equal(record.num.value, "7");
});

test("validation errors carry CB_VA01 and errors keyed by record index and field", async () => {
  await assert.rejects(
    client.record.addRecords({ app, records: [{ num: { value: "1" } }, { num: { value: "not a number" } }] }),
    (e) => {
      assert.ok(e instanceof KintoneRestAPIError);
      assert.equal(e.status, 400);
      assert.equal(e.code, "CB_VA01");
      // A number that does not parse is keyed with brackets (REST-API.md §6.1).
      assert.ok(e.errors["records[1][num].value"], JSON.stringify(e.errors));
      return true;
    },
  );
  await assert.rejects(
    client.record.getRecords({ app, query: "nosuchfield = 1" }),
    (e) => e instanceof KintoneRestAPIError && e.code === "GAIA_IQ11",
  );
});

test("addRecord, getRecord and a subtable round trip", async () => {
  const { id, revision } = await client.record.addRecord({
    app,
    record: {
      title: { value: "with rows" },
      items: { value: [{ value: { product: { value: "tea" }, qty: { value: "3" } } }] },
    },
  });
  assert.equal(revision, "1");
  const { record } = await client.record.getRecord({ app, id });
  assert.equal(record.items.type, "SUBTABLE");
  assert.equal(record.items.value.length, 1);
  assert.match(record.items.value[0].id, /^\d+$/);
  assert.equal(record.items.value[0].value.qty.value, "3");
  assert.equal(record.$revision.value, "1");
  assert.equal(record.Record_number.value, id);
  assert.equal(record.Created_by.value.code, "admin");
});

test("deleteAllRecords in bulk, with and without revisions, and plain deleteRecords", async () => {
  const all = await client.record.getAllRecords({ app, fields: ["$id", "$revision"] });
  const before = all.length;
  const ids = all.map((r) => r.$id.value);
  await client.record.deleteAllRecords({ app, records: ids.slice(0, 2100).map((id) => ({ id })) });
  await client.record.deleteAllRecords({
    app,
    records: all.slice(2100, 2200).map((r) => ({ id: r.$id.value, revision: r.$revision.value })),
  });
  await client.record.deleteRecords({ app, ids: ids.slice(2200, 2210) });
  assert.equal(await count(), before - 2210);
});
