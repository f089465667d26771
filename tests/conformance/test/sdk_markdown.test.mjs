// Page content as Markdown through the official SDK: pages.create with markdown,
// pages.retrieveMarkdown, pages.updateMarkdown with every update type, the guard on child pages
// and databases, and Notion's errors.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startEmulator } from "../lib/emulator.mjs";
import { APIResponseError, newClient, text } from "../lib/sdk.mjs";

let emulator;
let notion;
let dataSourceId;

before(async () => {
  emulator = await startEmulator("sdk_markdown");
  notion = newClient(emulator, { notionVersion: "2026-03-11", retry: false });
  const database = await notion.databases.create({
    parent: { type: "page_id", page_id: emulator.rootPageId },
    title: text("Notes"),
    initial_data_source: { properties: { Name: { title: {} } } },
  });
  dataSourceId = database.data_sources[0].id;
});
after(() => emulator.stop());

async function rejectsWith(promise, code, messagePart) {
  await assert.rejects(promise, (error) => {
    assert.ok(APIResponseError.isAPIResponseError(error), String(error));
    assert.equal(error.code, code);
    if (messagePart) assert.ok(error.message.includes(messagePart), error.message);
    return true;
  });
}

test("pages.create takes markdown; retrieveMarkdown answers it normalised", async () => {
  const page = await notion.pages.create({
    parent: { data_source_id: dataSourceId },
    properties: { Name: { title: text("With a body") } },
    markdown: "## Notes\r\n\r\nFirst line\n\n\n- a\n- b\n```js\nlet x = 1;\n\nx += 1;\n```\n",
  });
  const body = await notion.pages.retrieveMarkdown({ page_id: page.id });
  assert.equal(body.object, "page_markdown");
  assert.equal(body.id, page.id);
  // One newline between blocks, blank lines dropped outside code, no trailing newline.
  assert.equal(body.markdown, "## Notes\nFirst line\n- a\n- b\n```js\nlet x = 1;\n\nx += 1;\n```");
  assert.equal(body.truncated, false);
  assert.deepEqual(body.unknown_block_ids, []);
});

test("a leading heading becomes the title when the properties give none", async () => {
  const page = await notion.pages.create({ parent: { data_source_id: dataSourceId }, properties: {}, markdown: "# From the body\nText" });
  assert.equal(page.properties.Name.title[0].plain_text, "From the body");
  assert.equal((await notion.pages.retrieveMarkdown({ page_id: page.id })).markdown, "Text");
});

test("markdown and children cannot be combined", async () => {
  await rejectsWith(notion.pages.create({
    parent: { data_source_id: dataSourceId },
    properties: {},
    markdown: "x",
    children: [{ paragraph: { rich_text: text("y") } }],
  }), "validation_error", "markdown");
});

test("updateMarkdown: replace_content, update_content and insert_content", async () => {
  const page = await notion.pages.create({ parent: { data_source_id: dataSourceId }, properties: {}, markdown: "one\ntwo\none" });
  let body = await notion.pages.updateMarkdown({ page_id: page.id, type: "replace_content", replace_content: { new_str: "alpha\nbeta" } });
  assert.equal(body.markdown, "alpha\nbeta");
  body = await notion.pages.updateMarkdown({
    page_id: page.id,
    type: "update_content",
    update_content: { content_updates: [{ old_str: "beta", new_str: "gamma" }] },
  });
  assert.equal(body.markdown, "alpha\ngamma");
  body = await notion.pages.updateMarkdown({ page_id: page.id, type: "insert_content", insert_content: { content: "start", position: { type: "start" } } });
  assert.equal(body.markdown, "start\nalpha\ngamma");
  body = await notion.pages.updateMarkdown({ page_id: page.id, type: "insert_content", insert_content: { content: "middle", after: "start...alpha" } });
  assert.equal(body.markdown, "start\nalpha\nmiddle\ngamma");
  body = await notion.pages.updateMarkdown({ page_id: page.id, type: "insert_content", insert_content: { content: "end" } });
  assert.equal(body.markdown, "start\nalpha\nmiddle\ngamma\nend");
});

test("update_content refuses an old_str that matches nothing or several places", async () => {
  const page = await notion.pages.create({ parent: { data_source_id: dataSourceId }, properties: {}, markdown: "x\nx" });
  const update = (old_str, replace_all_matches) => notion.pages.updateMarkdown({
    page_id: page.id,
    type: "update_content",
    update_content: { content_updates: [{ old_str, new_str: "y", replace_all_matches }] },
  });
  await rejectsWith(update("absent"), "validation_error", "does not match");
  await rejectsWith(update("x"), "validation_error", "matches 2 locations");
  assert.equal((await update("x", true)).markdown, "y\ny");
});

test("replacing content keeps child pages unless deleting them is allowed", async () => {
  const holder = await notion.pages.create({
    parent: { type: "page_id", page_id: emulator.rootPageId },
    properties: { title: { title: text("Holder") } },
    markdown: "Intro",
  });
  const child = await notion.pages.create({ parent: { page_id: holder.id }, properties: { title: { title: text("Child") } } });
  const database = await notion.databases.create({
    parent: { type: "page_id", page_id: holder.id },
    title: text("Inner"),
    initial_data_source: { properties: { Name: { title: {} } } },
  });
  const { markdown } = await notion.pages.retrieveMarkdown({ page_id: holder.id });
  const lines = markdown.split("\n");
  assert.equal(lines[0], "Intro");
  assert.match(lines[1], /^<page url="https:\/\/www\.notion\.so\/Child-[0-9a-f]{32}">Child<\/page>$/);
  assert.match(lines[2], /^<database url="https:\/\/www\.notion\.so\/[0-9a-f]{32}">Inner<\/database>$/);

  await rejectsWith(
    notion.pages.updateMarkdown({ page_id: holder.id, type: "replace_content", replace_content: { new_str: "Only text" } }),
    "validation_error", "This operation would delete 2 child page(s) or database(s)");
  // Keeping the tags keeps the children, wherever they move.
  const kept = await notion.pages.updateMarkdown({
    page_id: holder.id, type: "replace_content", replace_content: { new_str: `${lines[2]}\nNew intro\n${lines[1]}` },
  });
  assert.equal(kept.markdown, `${lines[2]}\nNew intro\n${lines[1]}`);
  const replaced = await notion.pages.updateMarkdown({
    page_id: holder.id, type: "replace_content", replace_content: { new_str: "Only text", allow_deleting_content: true },
  });
  assert.equal(replaced.markdown, "Only text");
  assert.equal((await notion.pages.retrieve({ page_id: child.id })).in_trash, true);
  assert.equal((await notion.databases.retrieve({ database_id: database.id })).in_trash, true);
});

test("Notion's errors: a missing page, a database id, a trashed page", async () => {
  await rejectsWith(notion.pages.retrieveMarkdown({ page_id: "7855b161-f63e-4683-b7c7-8ca6e97ee266" }), "object_not_found");
  const database = await notion.databases.create({
    parent: { type: "page_id", page_id: emulator.rootPageId },
    title: text("Not a page"),
    initial_data_source: { properties: { Name: { title: {} } } },
  });
  await rejectsWith(notion.pages.retrieveMarkdown({ page_id: database.id }), "validation_error", "is a database");
  const page = await notion.pages.create({ parent: { data_source_id: dataSourceId }, properties: {}, markdown: "x" });
  await notion.pages.update({ page_id: page.id, in_trash: true });
  await rejectsWith(
    notion.pages.updateMarkdown({ page_id: page.id, type: "replace_content", replace_content: { new_str: "y" } }),
    "validation_error", "archived");
  await emulator.admin("faults", { spec: "409@PATCH /v1/pages#1", seed: 1 });
  await rejectsWith(
    notion.pages.updateMarkdown({ page_id: page.id, type: "replace_content", replace_content: { new_str: "y" } }),
    "conflict_error");
});

test("at most 1,000 blocks and 100 content updates in one request", async () => {
  const page = await notion.pages.create({ parent: { data_source_id: dataSourceId }, properties: {}, markdown: "x" });
  const lines = Array.from({ length: 1001 }, (_, i) => `line ${i}`).join("\n");
  await rejectsWith(
    notion.pages.updateMarkdown({ page_id: page.id, type: "replace_content", replace_content: { new_str: lines } }),
    "validation_error", "1001 blocks");
  const updates = Array.from({ length: 101 }, () => ({ old_str: "x", new_str: "y" }));
  await rejectsWith(
    notion.pages.updateMarkdown({ page_id: page.id, type: "update_content", update_content: { content_updates: updates } }),
    "validation_error", "≤ `100`");
});
