// cli-kintone 1.19.2 exporting and importing records (client-transcripts/cli-*).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { mkdtemp, writeFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { KintoneRestAPIClient } from "@kintone/rest-api-client";
import { startEmulator, cliBin } from "./emulator.mjs";
import { createApp, makeRecords } from "./apps.mjs";

const run = promisify(execFile);
let emu, client, app, dir;

before(async () => {
  emu = await startEmulator();
  client = new KintoneRestAPIClient({ baseUrl: emu.baseUrl, auth: { username: "admin", password: "admin" } });
  app = await createApp(client, "cli app");
  await client.record.addAllRecords({ app, records: makeRecords(1200) });
  dir = await mkdtemp(path.join(tmpdir(), "kintone-conformance-"));
});
after(async () => {
  if (emu) await emu.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function cli(...args) {
  return run(cliBin, ["record", ...args, "--base-url", emu.baseUrl, "--app", String(app)], {
    env: { ...process.env, KINTONE_USERNAME: "admin", KINTONE_PASSWORD: "admin" },
    maxBuffer: 64 << 20,
  });
}

function parseCSV(text) {
  const lines = text.trim().split("\n");
  return { header: lines[0], rows: lines.slice(1) };
}

test("record export of the whole app", async () => {
  const { stdout } = await cli("export");
  const { header, rows } = parseCSV(stdout);
  assert.equal(rows.length, 1200);
  for (const col of ['"title"', '"num"', '"Record_number"']) assert.ok(header.includes(col), header);
});

test("record export with --condition, --order-by and --fields (a cursor)", async () => {
  const { stdout } = await cli("export", "--condition", "num >= 1190", "--order-by", "num desc", "--fields", "title,num");
  const { header, rows } = parseCSV(stdout);
  assert.equal(header, '"title","num"');
  assert.equal(rows.length, 10);
  assert.equal(rows[0], '"rec-1199","1199"');
  assert.equal((await emu.control("GET", "stats")).openCursors, 0);
});

test("record import of 2500 rows goes in bulkRequests and lands", async () => {
  const lines = ['"title","num"'];
  for (let i = 0; i < 2500; i++) lines.push(`"imp-${i}","${i}"`);
  const file = path.join(dir, "import.csv");
  await writeFile(file, lines.join("\n") + "\n");
  await cli("import", "--file-path", file);
  const r = await client.record.getRecords({ app, query: 'title like "imp" limit 1', totalCount: true });
  assert.equal(r.totalCount, "2500");
});

test("record import with --update-key updates existing records and inserts new ones", async () => {
  const file = path.join(dir, "upsert.csv");
  await writeFile(file, '"title","num"\n"rec-1","-1"\n"rec-2","-2"\n"fresh","-3"\n');
  await cli("import", "--file-path", file, "--update-key", "title");
  const r = await client.record.getRecords({ app, query: "num < 0 order by num desc", totalCount: true });
  assert.deepEqual(r.records.map((x) => x.title.value), ["rec-1", "rec-2", "fresh"]);
});

test("an exported CSV imports back (record number and creator columns are accepted)", async () => {
  const { stdout } = await cli("export", "--condition", "num >= 0 and num < 5");
  const file = path.join(dir, "roundtrip.csv");
  const exported = stdout.replace(/"(rec|imp)-/g, '"copy-$1-');
  const rows = parseCSV(exported).rows.length;
  assert.ok(rows >= 5, `exported ${rows} rows`);
  await writeFile(file, exported);
  await cli("import", "--file-path", file);
  const r = await client.record.getRecords({ app, query: 'title like "copy" limit 1', totalCount: true });
  assert.equal(r.totalCount, String(rows));
});

test("record delete (API token only) empties the app", async () => {
  const { token } = await emu.control("POST", "tokens", { app, permissions: { view: true, delete: true } });
  await run(cliBin, ["record", "delete", "--base-url", emu.baseUrl, "--app", String(app), "--api-token", token, "--yes"], {
    maxBuffer: 64 << 20,
  });
  const r = await client.record.getRecords({ app, query: "limit 1", totalCount: true });
  assert.equal(r.totalCount, "0");
});
