// Users as Notion answers them: the list, one user, users/me, full user objects in page values,
// and a person editing pages through the emulator's person token.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startEmulator } from "../lib/emulator.mjs";
import { Client, LogLevel, collectPaginatedAPI, newClient, text } from "../lib/sdk.mjs";

const personToken = "secret_person";
let emulator;
let notion;
let person;
let dataSourceId;

before(async () => {
  emulator = await startEmulator("sdk_users", ["--person-token", personToken]);
  notion = newClient(emulator);
  person = new Client({ auth: personToken, baseUrl: emulator.baseUrl, logLevel: LogLevel.ERROR });
  const database = await notion.databases.create({
    parent: { type: "page_id", page_id: emulator.rootPageId },
    title: text("Team"),
    initial_data_source: {
      properties: { Name: { title: {} }, Owner: { people: {} }, "Created by": { created_by: {} }, "Edited by": { last_edited_by: {} } },
    },
  });
  dataSourceId = database.data_sources[0].id;
});
after(() => emulator.stop());

test("users.list answers the workspace's person, then the integration itself", async () => {
  const users = await collectPaginatedAPI(notion.users.list, { page_size: 1 });
  assert.deepEqual(users.map((user) => user.type), ["person", "bot"]);
  assert.equal(users[0].object, "user");
  assert.match(users[0].person.email, /@/);
  assert.equal(users[0].avatar_url, null);
  const me = await notion.users.me({});
  assert.equal(users[1].id, me.id);
  assert.equal(me.bot.workspace_limits.max_file_upload_size_in_bytes, 5242880);
});

test("users.retrieve answers one user", async () => {
  const [owner] = (await notion.users.list({})).results;
  const retrieved = await notion.users.retrieve({ user_id: owner.id });
  assert.equal(retrieved.name, owner.name);
  assert.equal(retrieved.person.email, owner.person.email);
});

test("people and authors read as full user objects in values, partial at the top", async () => {
  const [owner] = (await notion.users.list({})).results;
  const page = await notion.pages.create({
    parent: { data_source_id: dataSourceId },
    properties: { Name: { title: text("Row") }, Owner: { people: [{ object: "user", id: owner.id }] } },
  });
  assert.deepEqual(page.properties.Owner.people, [owner]);
  const me = await notion.users.me({});
  assert.equal(page.properties["Created by"].created_by.name, me.name);
  assert.deepEqual(page.properties["Created by"].created_by.bot, {});
  assert.deepEqual(page.created_by, { object: "user", id: me.id });
});

test("a person's edit names the person as last editor", async () => {
  const [owner] = (await notion.users.list({})).results;
  const page = await notion.pages.create({ parent: { data_source_id: dataSourceId }, properties: { Name: { title: text("Edited") } } });
  const edited = await person.pages.update({ page_id: page.id, properties: { Name: { title: text("Edited by hand") } } });
  assert.deepEqual(edited.last_edited_by, { object: "user", id: owner.id });
  assert.equal(edited.properties["Edited by"].last_edited_by.person.email, owner.person.email);
  assert.deepEqual(edited.created_by.id, (await notion.users.me({})).id);
  const byPerson = await notion.dataSources.query({
    data_source_id: dataSourceId,
    filter: { property: "Edited by", last_edited_by: { contains: owner.id } },
  });
  assert.deepEqual(byPerson.results.map((result) => result.id), [page.id]);
  assert.equal((await person.users.me({})).id, owner.id);
});

test("a query on last_edited_time finds the pages people edited or trashed, as a drift check asks", async () => {
  const [owner] = (await notion.users.list({})).results;
  const edited = await notion.pages.create({ parent: { data_source_id: dataSourceId }, properties: { Name: { title: text("Drifted") } } });
  const trashed = await notion.pages.create({ parent: { data_source_id: dataSourceId }, properties: { Name: { title: text("Binned") } } });
  const since = new Date(Date.now() - 2 * 60 * 1000).toISOString();
  await person.pages.update({ page_id: edited.id, properties: { Name: { title: text("Drifted by hand") } } });
  await person.pages.update({ page_id: trashed.id, in_trash: true });
  const answer = await notion.dataSources.query({
    data_source_id: dataSourceId,
    filter: { timestamp: "last_edited_time", last_edited_time: { on_or_after: since } },
    in_trash: true,
    filter_properties: ["title"],
  });
  const byId = new Map(answer.results.map((page) => [page.id, page]));
  assert.equal(byId.get(edited.id).last_edited_by.id, owner.id);
  assert.equal(byId.get(edited.id).properties.Name.title[0].plain_text, "Drifted by hand");
  assert.deepEqual(Object.keys(byId.get(edited.id).properties), ["Name"]);  // filter_properties
  assert.equal(byId.get(trashed.id).in_trash, true);
  // Later than every edit: nothing.
  const later = await notion.dataSources.query({
    data_source_id: dataSourceId,
    filter: { timestamp: "last_edited_time", last_edited_time: { after: new Date(Date.now() + 120000).toISOString() } },
    in_trash: true,
  });
  assert.deepEqual(later.results, []);
});
