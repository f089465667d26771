// Both Notion-Version values the emulator speaks, through the official SDK: 2026-03-11 answers
// in_trash only and refuses `archived`; 2025-09-03 keeps `archived` as in_trash's alias; any
// other version is refused.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startEmulator } from "../lib/emulator.mjs";
import { APIResponseError, newClient, text } from "../lib/sdk.mjs";

let emulator;
let current;
let previous;
let dataSourceId;

before(async () => {
  emulator = await startEmulator("sdk_versions");
  current = newClient(emulator, { notionVersion: "2026-03-11", retry: false });
  previous = newClient(emulator, { notionVersion: "2025-09-03", retry: false });
  const database = await current.databases.create({
    parent: { type: "page_id", page_id: emulator.rootPageId },
    title: text("Versions"),
    initial_data_source: { properties: { Name: { title: {} } } },
  });
  assert.equal("archived" in database, false);
  dataSourceId = database.data_sources[0].id;
});
after(() => emulator.stop());

test("2026-03-11 answers in_trash only, everywhere", async () => {
  const page = await current.pages.create({ parent: { data_source_id: dataSourceId }, properties: { Name: { title: text("a") } } });
  assert.equal(page.in_trash, false);
  assert.equal("archived" in page, false);
  const trashed = await current.pages.update({ page_id: page.id, in_trash: true });
  assert.equal(trashed.in_trash, true);
  assert.equal("archived" in trashed, false);
  const listed = await current.dataSources.query({ data_source_id: dataSourceId, in_trash: true });
  assert.equal(listed.results.length, 1);
  assert.equal("archived" in listed.results[0], false);
  const source = await current.dataSources.retrieve({ data_source_id: dataSourceId });
  assert.equal("archived" in source, false);
  const block = await current.blocks.retrieve({ block_id: page.id });
  assert.equal("archived" in block, false);
});

test("2026-03-11 refuses archived in a request", async () => {
  const page = await current.pages.create({ parent: { data_source_id: dataSourceId }, properties: {} });
  await assert.rejects(current.request({ path: `pages/${page.id}`, method: "patch", body: { archived: true } }), (error) => {
    assert.ok(APIResponseError.isAPIResponseError(error), String(error));
    assert.equal(error.code, "validation_error");
    assert.match(error.message, /body\.archived should be not present/);
    return true;
  });
  assert.equal((await current.pages.retrieve({ page_id: page.id })).in_trash, false);  // nothing applied
});

test("2025-09-03 keeps archived as the alias of in_trash", async () => {
  const page = await previous.pages.create({ parent: { data_source_id: dataSourceId }, properties: {} });
  assert.equal(page.archived, false);
  const trashed = await previous.pages.update({ page_id: page.id, archived: true });
  assert.equal(trashed.in_trash, true);
  assert.equal(trashed.archived, true);
});

test("any other version is refused", async () => {
  const old = newClient(emulator, { notionVersion: "2022-06-28", retry: false });
  await assert.rejects(old.users.me({}), (error) => {
    assert.equal(error.code, "validation_error");
    assert.match(error.message, /Notion-Version/);
    return true;
  });
});
