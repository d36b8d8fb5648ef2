// Authentication variants and guest spaces as @kintone/rest-api-client sends
// them (client-transcripts/rest-auth-variants and rest-guest-space).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { KintoneRestAPIClient, KintoneRestAPIError } from "@kintone/rest-api-client";
import { startEmulator } from "./emulator.mjs";
import { createApp, makeRecords } from "./apps.mjs";

let emu, admin, app, other;
const basic = { username: "gate", password: "keeper" };

before(async () => {
  emu = await startEmulator(["--basic-auth", `${basic.username}:${basic.password}`, "--user", "admin:admin", "--user", "sato:pass"]);
  admin = new KintoneRestAPIClient({ baseUrl: emu.baseUrl, auth: { username: "admin", password: "admin" }, basicAuth: basic });
  app = await createApp(admin, "auth app");
  other = await createApp(admin, "other app");
  await admin.record.addRecords({ app, records: makeRecords(3) });
  await admin.record.addRecords({ app: other, records: makeRecords(2) });
});
after(async () => emu && (await emu.stop()));

async function token(forApp, permissions) {
  return (await emu.control("POST", "tokens", { app: forApp, permissions })).token;
}

test("password auth without the Basic layer is refused by the gateway", async () => {
  const c = new KintoneRestAPIClient({ baseUrl: emu.baseUrl, auth: { username: "admin", password: "admin" } });
  await assert.rejects(c.record.getRecords({ app }), (e) => e.status === 401);
});

test("a wrong password is CB_WA01", async () => {
  const c = new KintoneRestAPIClient({ baseUrl: emu.baseUrl, auth: { username: "admin", password: "nope" }, basicAuth: basic });
  await assert.rejects(c.record.getRecords({ app }), (e) => e instanceof KintoneRestAPIError && e.code === "CB_WA01");
});

test("one API token reads its app; two tokens open two apps; a token cannot open another app", async () => {
  const t1 = await token(app, { view: true });
  const t2 = await token(other, { view: true, add: true });
  const c1 = new KintoneRestAPIClient({ baseUrl: emu.baseUrl, auth: { apiToken: t1 }, basicAuth: basic });
  assert.equal((await c1.record.getRecords({ app, totalCount: true })).totalCount, "3");
  await assert.rejects(c1.record.getRecords({ app: other }), (e) => e.status === 403 && e.code === "GAIA_NO01");
  const bogus = new KintoneRestAPIClient({ baseUrl: emu.baseUrl, auth: { apiToken: "no-such-token" }, basicAuth: basic });
  await assert.rejects(bogus.record.getRecords({ app }), (e) => e.status === 400 && e.code === "GAIA_IA02");
  await assert.rejects(c1.record.addRecord({ app, record: {} }), (e) => e.code === "GAIA_NO01");

  const c2 = new KintoneRestAPIClient({ baseUrl: emu.baseUrl, auth: { apiToken: [t1, t2] }, basicAuth: basic });
  assert.equal((await c2.record.getRecords({ app: other, totalCount: true })).totalCount, "2");
  await c2.record.addRecord({ app: other, record: { title: { value: "by token" } } });
  const { records } = await c2.record.getRecords({ app: other, query: 'title = "by token"' });
  assert.equal(records.length, 1);
});

test("password auth + Basic + userAgent", async () => {
  const c = new KintoneRestAPIClient({
    baseUrl: emu.baseUrl, auth: { username: "sato", password: "pass" }, basicAuth: basic, userAgent: "conformance/1",
  });
  const { records } = await c.record.getRecords({ app, query: "limit 1" });
  assert.equal(records.length, 1);
  const reqs = await emu.control("GET", "requests");
  assert.equal(reqs.at(-1).auth, "password");
});

test("a guest space: apps created, written and read under /k/guest/5/v1/", async () => {
  const guest = new KintoneRestAPIClient({
    baseUrl: emu.baseUrl, auth: { username: "admin", password: "admin" }, basicAuth: basic, guestSpaceId: 5,
  });
  const gapp = await createApp(guest, "guest app");
  await guest.record.addAllRecords({ app: gapp, records: makeRecords(150) });
  const all = await guest.record.getAllRecords({ app: gapp });
  assert.equal(all.length, 150);
  const sorted = await guest.record.getAllRecords({ app: gapp, orderBy: "num desc" });
  assert.equal(sorted[0].num.value, "149");
  const info = await guest.app.getApp({ id: gapp });
  assert.equal(info.name, "guest app");
  const reqs = await emu.control("GET", "requests");
  assert.ok(reqs.filter((r) => r.path.startsWith("/k/")).slice(-4).every((r) => r.path.startsWith("/k/guest/5/v1/")));
  // The guest app is not reachable through /k/v1/.
  await assert.rejects(admin.record.getRecords({ app: gapp }), (e) => e.code === "GAIA_IL23");
});

test("getApps filters, getFormFields and getFormLayout", async () => {
  const { apps } = await admin.app.getApps({ ids: [app, other], name: "app", limit: 10, offset: 0 });
  assert.deepEqual(apps.map((a) => a.name).sort(), ["auth app", "other app"]);
  const { properties } = await admin.app.getFormFields({ app });
  assert.equal(properties.num.type, "NUMBER");
  assert.equal(properties.items.fields.qty.type, "NUMBER");
  assert.equal(properties.Record_number.type, "RECORD_NUMBER");
  const preview = await admin.app.getFormFields({ app, lang: "en", preview: true });
  assert.ok(preview.properties.title);
  const { layout } = await admin.app.getFormLayout({ app });
  assert.ok(layout.length > 0);
});
