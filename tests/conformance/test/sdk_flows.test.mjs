// The official SDK drives the emulator through a sync's whole life: schema, every value type,
// every filter kind, sorts, pagination, updates and trash.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { startEmulator } from "../lib/emulator.mjs";
import { collectPaginatedAPI, isFullPage, newClient, plain, text, withoutRequestId } from "../lib/sdk.mjs";

let emulator;
let notion;
let databaseId;
let dataSourceId;
let otherDataSourceId;
const pagesByName = new Map();

before(async () => {
  emulator = await startEmulator("sdk_flows");
  notion = newClient(emulator);
});
after(() => emulator.stop());

function valueOf(page, name) {
  const property = page.properties[name];
  return property[property.type];
}

describe("schema", () => {
  test("users.me answers the bot user", async () => {
    const me = await notion.users.me({});
    assert.equal(me.object, "user");
    assert.equal(me.type, "bot");
  });

  test("databases.create under the root page yields one data source", async () => {
    const other = await notion.databases.create({
      parent: { type: "page_id", page_id: emulator.rootPageId },
      title: text("Other"),
      initial_data_source: { properties: { Name: { title: {} } } },
    });
    otherDataSourceId = other.data_sources[0].id;
    const database = await notion.databases.create({
      parent: { type: "page_id", page_id: emulator.rootPageId },
      title: text("Conformance"),
      initial_data_source: { properties: { Name: { title: {} } } },
    });
    assert.equal(database.object, "database");
    assert.equal(database.data_sources.length, 1);
    databaseId = database.id;
    dataSourceId = database.data_sources[0].id;
    const retrieved = await notion.databases.retrieve({ database_id: databaseId });
    assert.deepEqual(withoutRequestId(retrieved), withoutRequestId(database));
    assert.match(retrieved.request_id, /^[0-9a-f-]{36}$/);  // in every answer, as Notion sends it
    assert.notEqual(retrieved.request_id, database.request_id);
  });

  test("dataSources.update adds a property of every type", async () => {
    const updated = await notion.dataSources.update({
      data_source_id: dataSourceId,
      properties: {
        Notes: { rich_text: {} },
        Qty: { number: { format: "number_with_commas" } },
        Link: { url: {} },
        Mail: { email: {} },
        Phone: { phone_number: {} },
        Tag: { select: { options: [{ name: "High", color: "red" }, { name: "Low" }] } },
        Tags: { multi_select: { options: [{ name: "x" }, { name: "y" }] } },
        Stage: { status: {} },
        When: { date: {} },
        Done: { checkbox: {} },
        Rel: { relation: { data_source_id: otherDataSourceId, single_property: {} } },
        Owner: { people: {} },
        Att: { files: {} },
        Calc: { formula: { expression: "prop(\"Qty\") * 2" } },
        Created: { created_time: {} },
        Edited: { last_edited_time: {} },
        Key: { unique_id: { prefix: "ROW" } },
      },
    });
    assert.equal(Object.keys(updated.properties).length, 18);
    const retrieved = await notion.dataSources.retrieve({ data_source_id: dataSourceId });
    assert.deepEqual(retrieved.properties, updated.properties);
    assert.equal(retrieved.properties.Name.id, "title");
    assert.equal(retrieved.properties.Rel.relation.data_source_id, otherDataSourceId);
  });

  test("dataSources.update renames and removes properties", async () => {
    await notion.dataSources.update({ data_source_id: dataSourceId, properties: { Tmp: { rich_text: {} } } });
    const renamed = await notion.dataSources.update({ data_source_id: dataSourceId, properties: { Tmp: { name: "Tmp2" } } });
    assert.ok(renamed.properties.Tmp2);
    const removed = await notion.dataSources.update({ data_source_id: dataSourceId, properties: { Tmp2: null } });
    assert.equal(removed.properties.Tmp2, undefined);
  });
});

describe("pages", () => {
  const long = "é".repeat(1990) + "🚀".repeat(5);  // exactly 2000 UTF-16 code units

  test("pages.create stores every value type", async () => {
    const targets = [];
    for (let i = 0; i < 30; i++) {
      const target = await notion.pages.create({
        parent: { data_source_id: otherDataSourceId },
        properties: { Name: { title: text(`target ${i}`) } },
      });
      targets.push({ id: target.id });
    }
    const rows = [
      { name: "Ünïcödé ✓ 日本語", qty: 1, tag: "High", tags: ["x"], when: { start: "2024-01-31" }, done: true, rel: targets.slice(0, 30) },
      { name: "Emoji 🚀🎉", qty: -2.5, tag: "Low", tags: ["x", "y"], when: { start: "2024-02-15T12:30:00.000Z" }, done: false, rel: [] },
      { name: "Zoned", qty: 0, tag: null, tags: [], when: { start: "2024-03-01T09:00:00.000", time_zone: "Europe/Berlin" }, done: false, rel: [targets[0]] },
      { name: "Range", qty: 1e6, tag: "New", tags: ["z"], when: { start: "2024-04-01", end: "2024-04-05" }, done: true, rel: [] },
      { name: "Long", qty: null, tag: null, tags: [], when: null, done: false, rel: [] },
    ];
    for (const row of rows) {
      const page = await notion.pages.create({
        parent: { type: "data_source_id", data_source_id: dataSourceId },
        properties: {
          Name: { title: text(row.name) },
          Notes: { rich_text: row.name === "Long" ? text(long) : text(`notes for ${row.name}`) },
          Qty: { number: row.qty },
          Link: { url: row.name === "Long" ? null : "https://example.com/" + encodeURIComponent(row.name) },
          Mail: { email: "someone@example.com" },
          Phone: { phone_number: "+49 30 123456" },
          Tag: { select: row.tag === null ? null : { name: row.tag } },
          Tags: { multi_select: row.tags.map((name) => ({ name })) },
          Stage: { status: { name: row.done ? "Done" : "Not started" } },
          When: { date: row.when },
          Done: { checkbox: row.done },
          Rel: { relation: row.rel },
          Owner: { people: [{ object: "user", id: (await notion.users.me({})).id }] },
          Att: { files: [{ name: "spec.pdf", external: { url: "https://example.com/spec.pdf" } }] },
        },
      });
      assert.ok(isFullPage(page));
      pagesByName.set(row.name, page);
      const read = await notion.pages.retrieve({ page_id: page.id });
      assert.deepEqual(withoutRequestId(read), withoutRequestId(page));
      assert.equal(plain(valueOf(read, "Name")), row.name);
      assert.equal(valueOf(read, "Qty"), row.qty);
      assert.equal(valueOf(read, "Tag")?.name ?? null, row.tag);
      assert.deepEqual(valueOf(read, "Tags").map((o) => o.name), row.tags);
      assert.equal(valueOf(read, "When")?.start ?? null, row.when?.start ?? null);
      assert.equal(valueOf(read, "When")?.time_zone ?? null, row.when?.time_zone ?? null);
      assert.equal(valueOf(read, "Done"), row.done);
      assert.equal(read.parent.data_source_id, dataSourceId);
      assert.equal(read.parent.database_id, databaseId);
    }
    assert.equal(plain(valueOf(pagesByName.get("Long"), "Notes")), long);
    const unicode = pagesByName.get("Ünïcödé ✓ 日本語");
    assert.equal(valueOf(unicode, "Rel").length, 25);  // page objects truncate relations at 25
    assert.equal(unicode.properties.Rel.has_more, true);
    assert.equal(valueOf(unicode, "Key").number, 1);
  });

  test("pages.properties.retrieve paginates the full relation", async () => {
    const page = pagesByName.get("Ünïcödé ✓ 日本語");
    const items = await collectPaginatedAPI(notion.pages.properties.retrieve, {
      page_id: page.id,
      property_id: page.properties.Rel.id,
      page_size: 10,
    });
    assert.equal(items.length, 30);
    assert.ok(items.every((item) => item.type === "relation"));
    const qty = await notion.pages.properties.retrieve({ page_id: page.id, property_id: page.properties.Qty.id });
    assert.deepEqual(withoutRequestId(qty), { object: "property_item", id: page.properties.Qty.id, type: "number", number: 1 });
  });

  test("pages.update changes the given properties only", async () => {
    const page = pagesByName.get("Emoji 🚀🎉");
    const updated = await notion.pages.update({ page_id: page.id, properties: { Qty: { number: 42 }, Link: { url: null } } });
    assert.equal(valueOf(updated, "Qty"), 42);
    assert.equal(valueOf(updated, "Link"), null);
    assert.equal(plain(valueOf(updated, "Name")), "Emoji 🚀🎉");
    pagesByName.set("Emoji 🚀🎉", updated);
  });
});

describe("queries", () => {
  async function names(filter, sorts) {
    const pages = await collectPaginatedAPI(notion.dataSources.query, { data_source_id: dataSourceId, filter, sorts });
    return pages.map((page) => plain(valueOf(page, "Name"))).sort();
  }

  const cases = [
    ["title", { property: "Name", title: { contains: "zon" } }, ["Zoned"]],
    ["rich_text", { property: "Notes", rich_text: { starts_with: "notes for R" } }, ["Range"]],
    ["number", { property: "Qty", number: { greater_than: 1 } }, ["Emoji 🚀🎉", "Range"]],
    ["url", { property: "Link", url: { is_empty: true } }, ["Emoji 🚀🎉", "Long"]],
    ["email", { property: "Mail", email: { equals: "someone@example.com" } }, null],
    ["phone_number", { property: "Phone", phone_number: { contains: "123" } }, null],
    ["select", { property: "Tag", select: { equals: "High" } }, ["Ünïcödé ✓ 日本語"]],
    ["multi_select", { property: "Tags", multi_select: { contains: "y" } }, ["Emoji 🚀🎉"]],
    ["status", { property: "Stage", status: { equals: "Done" } }, ["Range", "Ünïcödé ✓ 日本語"]],
    ["date", { property: "When", date: { on_or_after: "2024-03-01" } }, ["Range", "Zoned"]],
    ["checkbox", { property: "Done", checkbox: { equals: true } }, ["Range", "Ünïcödé ✓ 日本語"]],
    ["relation", { property: "Rel", relation: { is_not_empty: true } }, ["Zoned", "Ünïcödé ✓ 日本語"]],
    ["people", { property: "Owner", people: { contains: "me" } }, null],
    ["files", { property: "Att", files: { is_not_empty: true } }, null],
    ["unique_id", { property: "Key", unique_id: { equals: 1 } }, ["Ünïcödé ✓ 日本語"]],
    ["timestamp", { timestamp: "created_time", created_time: { on_or_after: "2020-01-01" } }, null],
    ["and", { and: [{ property: "Done", checkbox: { equals: false } }, { property: "Qty", number: { greater_than_or_equal_to: 0 } }] }, ["Emoji 🚀🎉", "Zoned"]],
    ["or", { or: [{ property: "Tag", select: { equals: "Low" } }, { and: [{ property: "Tag", select: { is_empty: true } }, { property: "Qty", number: { is_empty: true } }] }] }, ["Emoji 🚀🎉", "Long"]],
  ];
  const all = ["Emoji 🚀🎉", "Long", "Range", "Zoned", "Ünïcödé ✓ 日本語"].sort();
  for (const [kind, filter, expected] of cases) {
    test(`filter: ${kind}`, async () => {
      assert.deepEqual(await names(filter), expected === null ? all : expected.sort());
    });
  }

  test("sorts: by property descending, empty values last", async () => {
    const pages = await collectPaginatedAPI(notion.dataSources.query, {
      data_source_id: dataSourceId,
      sorts: [{ property: "Qty", direction: "descending" }],
    });
    assert.deepEqual(pages.map((page) => valueOf(page, "Qty")), [1e6, 42, 1, 0, null]);
  });

  test("collectPaginatedAPI follows cursors across several pages", async () => {
    for (let i = 0; i < 23; i++) {
      await notion.pages.create({ parent: { data_source_id: otherDataSourceId }, properties: { Name: { title: text(`bulk ${i}`) } } });
    }
    const before = emulator.recording().length;
    const pages = await collectPaginatedAPI(notion.dataSources.query, {
      data_source_id: otherDataSourceId,
      page_size: 10,
      sorts: [{ timestamp: "created_time", direction: "ascending" }],
    });
    assert.equal(pages.length, 53);
    assert.equal(new Set(pages.map((page) => page.id)).size, 53);
    assert.equal(emulator.recording().length - before, 6);  // 10+10+10+10+10+3
  });

  test("filter_properties limits the returned properties", async () => {
    const response = await notion.dataSources.query({ data_source_id: dataSourceId, filter_properties: ["title", "Qty"] });
    assert.deepEqual(Object.keys(response.results[0].properties).sort(), ["Name", "Qty"]);
    const schema = await notion.dataSources.retrieve({ data_source_id: dataSourceId });
    const byId = await notion.dataSources.query({ data_source_id: dataSourceId, filter_properties: [schema.properties.Tag.id] });
    assert.deepEqual(Object.keys(byId.results[0].properties), ["Tag"]);
  });
});

describe("trash", () => {
  test("pages.update with in_trash, then with the archived alias", async () => {
    const first = await notion.pages.update({ page_id: pagesByName.get("Zoned").id, in_trash: true });
    assert.equal(first.in_trash, true);
    const second = await notion.pages.update({ page_id: pagesByName.get("Range").id, archived: true });
    assert.equal(second.in_trash, true);
    assert.equal(second.archived, true);
    const remaining = await collectPaginatedAPI(notion.dataSources.query, { data_source_id: dataSourceId });
    assert.equal(remaining.length, 3);
    const restored = await notion.pages.update({ page_id: pagesByName.get("Range").id, in_trash: false });
    assert.equal(restored.in_trash, false);
  });

  test("blocks.delete moves a page to the trash", async () => {
    const page = pagesByName.get("Long");
    const block = await notion.blocks.delete({ block_id: page.id });
    assert.equal(block.object, "block");
    assert.equal(block.in_trash, true);
    assert.equal((await notion.pages.retrieve({ page_id: page.id })).in_trash, true);
  });
});

describe("relations", () => {
  test("a two-way relation adds a synced property that links back", async () => {
    const updated = await notion.dataSources.update({
      data_source_id: otherDataSourceId,
      properties: { Owners: { relation: { data_source_id: dataSourceId, dual_property: { synced_property_name: "Owned" } } } },
    });
    const owners = updated.properties.Owners;
    assert.equal(owners.relation.type, "dual_property");
    const main = await notion.dataSources.retrieve({ data_source_id: dataSourceId });
    assert.equal(main.properties.Owned.relation.dual_property.synced_property_id, owners.id);
    const target = await notion.pages.create({
      parent: { data_source_id: otherDataSourceId },
      properties: { Owners: { relation: [{ id: pagesByName.get("Emoji 🚀🎉").id }] } },
    });
    const owner = await notion.pages.retrieve({ page_id: pagesByName.get("Emoji 🚀🎉").id });
    assert.deepEqual(owner.properties.Owned.relation, [{ id: target.id }]);
  });
});

describe("discovery", () => {
  test("search finds the data source by title", async () => {
    const response = await notion.search({ query: "conformance", filter: { property: "object", value: "data_source" } });
    assert.deepEqual(response.results.map((result) => result.id), [dataSourceId]);
  });

  test("blocks.children.list lists child databases of the root page", async () => {
    const children = await collectPaginatedAPI(notion.blocks.children.list, { block_id: emulator.rootPageId });
    assert.deepEqual(children.map((block) => block.child_database.title), ["Other", "Conformance"]);
  });

  test("blocks.retrieve answers a page and a database as blocks", async () => {
    const root = await notion.blocks.retrieve({ block_id: emulator.rootPageId });
    assert.equal(root.type, "child_page");
    const database = await notion.blocks.retrieve({ block_id: databaseId });
    assert.equal(database.type, "child_database");
    assert.equal(database.child_database.title, "Conformance");
  });

  test("databases.update renames the database", async () => {
    const updated = await notion.databases.update({ database_id: databaseId, title: text("Renamed") });
    assert.equal(plain(updated.title), "Renamed");
  });

  test("dataSources.create adds a second data source", async () => {
    const created = await notion.dataSources.create({
      parent: { type: "database_id", database_id: databaseId },
      title: text("Second source"),
      properties: { Title: { title: {} } },
    });
    assert.equal(created.parent.database_id, databaseId);
    const database = await notion.databases.retrieve({ database_id: databaseId });
    assert.equal(database.data_sources.length, 2);
  });
});
