// Notion's 10,000-result cap per query, lowered with --query-limit so it is cheap to reach.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startEmulator } from "../lib/emulator.mjs";
import { collectPaginatedAPI, newClient, text } from "../lib/sdk.mjs";

let emulator;
let notion;

before(async () => {
  emulator = await startEmulator("sdk_limits", ["--query-limit", "5"]);
  notion = newClient(emulator);
});
after(() => emulator.stop());

test("a query past the result cap ends early and reports request_status incomplete", async () => {
  const database = await notion.databases.create({
    parent: { type: "page_id", page_id: emulator.rootPageId },
    title: text("Capped"),
    initial_data_source: { properties: { Name: { title: {} } } },
  });
  const dataSourceId = database.data_sources[0].id;
  for (let i = 0; i < 7; i++) {
    await notion.pages.create({ parent: { data_source_id: dataSourceId }, properties: { Name: { title: text(`row ${i}`) } } });
  }
  const rows = await collectPaginatedAPI(notion.dataSources.query, { data_source_id: dataSourceId, page_size: 2 });
  assert.equal(rows.length, 5);
  const first = await notion.dataSources.query({ data_source_id: dataSourceId, page_size: 4 });
  assert.equal(first.has_more, true);
  assert.equal(first.request_status, undefined);
  const second = await notion.dataSources.query({ data_source_id: dataSourceId, page_size: 4, start_cursor: first.next_cursor });
  assert.equal(second.results.length, 1);
  assert.equal(second.has_more, false);
  assert.deepEqual(second.request_status, { type: "incomplete", incomplete_reason: "query_result_limit_reached" });
});
