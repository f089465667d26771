// Every error the emulator answers surfaces through the official SDK as Notion's would:
// APIResponseError with the right code for the codes the SDK knows, UnknownHTTPResponseError
// (code notionhq_client_response_error) for the others.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startEmulator } from "../lib/emulator.mjs";
import { APIResponseError, Client, LogLevel, UnknownHTTPResponseError, newClient, text } from "../lib/sdk.mjs";

let emulator;
let notion;
let dataSourceId;
let pageId;

before(async () => {
  emulator = await startEmulator("sdk_errors");
  // No retries: each error must surface on the first answer.
  notion = newClient(emulator, { retry: false });
  const database = await notion.databases.create({
    parent: { type: "page_id", page_id: emulator.rootPageId },
    title: text("Errors"),
    initial_data_source: {
      properties: { Name: { title: {} }, Notes: { rich_text: {} }, Link: { url: {} }, Tag: { select: {} }, Tags: { multi_select: {} } },
    },
  });
  dataSourceId = database.data_sources[0].id;
  pageId = (await notion.pages.create({ parent: { data_source_id: dataSourceId }, properties: {} })).id;
});
after(() => emulator.stop());

async function rejectsWith(promise, code, status, messagePart) {
  await assert.rejects(promise, (error) => {
    assert.ok(APIResponseError.isAPIResponseError(error), `expected APIResponseError, got ${error}`);
    assert.equal(error.code, code);
    assert.equal(error.status, status);
    assert.ok(error.request_id, "request_id");
    if (messagePart) assert.ok(error.message.includes(messagePart), error.message);
    return true;
  });
}

function createWith(properties) {
  return notion.pages.create({ parent: { data_source_id: dataSourceId }, properties });
}

test("unauthorized: wrong token", async () => {
  const stranger = new Client({ auth: "secret_wrong", baseUrl: emulator.baseUrl, logLevel: LogLevel.ERROR });
  await rejectsWith(stranger.users.me({}), "unauthorized", 401);
});

test("object_not_found: unknown or unshared page", async () => {
  await rejectsWith(notion.pages.retrieve({ page_id: "11111111-2222-4333-8444-555555555555" }), "object_not_found", 404,
    "Make sure the relevant pages and databases are shared with your integration");
  // Notion names the integration that asked (recorded: shapes case error_page_not_found).
  const me = await notion.users.me({});
  await assert.rejects(notion.pages.retrieve({ page_id: "11111111-2222-4333-8444-555555555555" }), (error) => {
    assert.deepEqual(error.additional_data, { integration_id: me.id });
    return true;
  });
});

test("validation_error: a malformed id is not a missing page", async () => {
  // Hex digits where the UUID's variant digit is 1: Notion refuses the path (recorded: shapes case
  // error_page_invalid_uuid) rather than answering 404.
  await rejectsWith(notion.pages.retrieve({ page_id: "12345678-1234-1234-1234-123456789abc" }), "validation_error", 400,
    "path failed validation: path.page_id should be a valid uuid");
  await rejectsWith(notion.pages.update({ page_id: "12345678123412341234123456789abc", properties: {} }), "validation_error", 400,
    "path.page_id should be a valid uuid");
});

test("object_not_found: an unknown user, with Notion's message about user capabilities", async () => {
  await rejectsWith(notion.users.retrieve({ user_id: "745e79dd-3e43-40de-9d51-39357c1c428f" }), "object_not_found", 404,
    "Make sure your integration has capabilities to read user information");
});

test("validation_error: unknown property", async () => {
  await rejectsWith(createWith({ Missing: { rich_text: text("x") } }), "validation_error", 400, "Missing is not a property that exists.");
});

test("validation_error: wrong value type", async () => {
  await rejectsWith(createWith({ Tag: { multi_select: [{ name: "a" }] } }), "validation_error", 400, "Tag is expected to be select.");
});

test("validation_error: text over 2000 characters", async () => {
  await rejectsWith(createWith({ Notes: { rich_text: text("x".repeat(2001)) } }), "validation_error", 400, "should be ≤ `2000`, instead was `2001`");
});

test("validation_error: array over 100 items", async () => {
  const tags = Array.from({ length: 101 }, (_, i) => ({ name: `t${i}` }));
  await rejectsWith(createWith({ Tags: { multi_select: tags } }), "validation_error", 400, "should be ≤ `100`, instead was `101`");
});

test("validation_error: comma in a select option", async () => {
  await rejectsWith(createWith({ Tag: { select: { name: "High, really" } } }), "validation_error", 400, "commas not allowed");
});

test("validation_error: empty string where Notion wants null", async () => {
  await rejectsWith(createWith({ Link: { url: "" } }), "validation_error", 400, "should be ≥ `1`");
});

test("validation_error: more than one title", async () => {
  await rejectsWith(notion.dataSources.update({ data_source_id: dataSourceId, properties: { Second: { title: {} } } }),
    "validation_error", 400, "title");
});

test("validation_error: editing a trashed page", async () => {
  const trashed = await notion.pages.create({ parent: { data_source_id: dataSourceId }, properties: {} });
  await notion.pages.update({ page_id: trashed.id, in_trash: true });
  await rejectsWith(notion.pages.update({ page_id: trashed.id, properties: { Notes: { rich_text: text("x") } } }),
    "validation_error", 400, "Can't edit block that is archived");
});

test("validation_error: page_size over 100 and a bad cursor", async () => {
  await rejectsWith(notion.dataSources.query({ data_source_id: dataSourceId, page_size: 101 }), "validation_error", 400, "page_size");
  await rejectsWith(notion.dataSources.query({ data_source_id: dataSourceId, start_cursor: "nonsense" }), "validation_error", 400, "start_cursor");
});

test("invalid_json: a body that is not JSON", async () => {
  const broken = newClient(emulator, { retry: false, fetch: (url, init) => fetch(url, { ...init, body: "{\"parent\":" }) });
  await rejectsWith(broken.pages.create({ parent: { data_source_id: dataSourceId }, properties: {} }), "invalid_json", 400);
});

test("invalid_request_url: an unknown endpoint", async () => {
  await rejectsWith(notion.request({ path: "no_such_endpoint", method: "get" }), "invalid_request_url", 400);
});

test("missing_version is not an SDK code: UnknownHTTPResponseError keeps the status", async () => {
  const versionless = newClient(emulator, {
    retry: false,
    fetch: (url, init) => {
      const headers = { ...init.headers };
      delete headers["Notion-Version"];
      return fetch(url, { ...init, headers });
    },
  });
  await assert.rejects(versionless.users.me({}), (error) => {
    assert.ok(UnknownHTTPResponseError.isUnknownHTTPResponseError(error), String(error));
    assert.equal(error.status, 400);
    assert.equal(JSON.parse(error.body).code, "missing_version");
    return true;
  });
});

const faults = [
  ["429", "rate_limited", 429],
  ["409", "conflict_error", 409],
  ["500", "internal_server_error", 500],
  ["503", "service_unavailable", 503],
  ["504", "gateway_timeout", 504],
  ["529", "service_overload", 529],
];
for (const [fault, code, status] of faults) {
  test(`${code}: injected ${fault} on a write`, async () => {
    await emulator.admin("faults", { spec: `${fault}@PATCH#1`, seed: 1 });
    await rejectsWith(notion.pages.update({ page_id: pageId, properties: {} }), code, status);
  });
}

test("bad_gateway (502) is not an SDK code: UnknownHTTPResponseError", async () => {
  await emulator.admin("faults", { spec: "502#1", seed: 1 });
  await assert.rejects(notion.users.me({}), (error) => {
    assert.ok(UnknownHTTPResponseError.isUnknownHTTPResponseError(error), String(error));
    assert.equal(error.status, 502);
    return true;
  });
});

test("a dropped connection is a transport error, not an HTTP status", async () => {
  await emulator.admin("faults", { spec: "reset_after@POST /v1/pages#1", seed: 1 });
  await assert.rejects(createWith({ Name: { title: text("ghost") } }), (error) => {
    assert.ok(!APIResponseError.isAPIResponseError(error));
    return true;
  });
  const pages = await notion.dataSources.query({ data_source_id: dataSourceId, filter: { property: "Name", title: { equals: "ghost" } } });
  assert.equal(pages.results.length, 1);  // applied before the drop
});

test("a stalled response trips the SDK timeout", async () => {
  const impatient = newClient(emulator, { retry: false, timeoutMs: 200 });
  await emulator.admin("faults", { spec: "stall(1500)#1", seed: 1 });
  await assert.rejects(impatient.users.me({}), (error) => error.code === "notionhq_client_request_timeout");
});
