// The File Upload API through the official SDK: fileUploads.create, send (single and multi-part),
// complete, retrieve and list; uploads attached to a files property, a page icon and a cover;
// expiry on the emulator's clock; and users.list, which people values by email read.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startEmulator } from "../lib/emulator.mjs";
import { APIResponseError, collectPaginatedAPI, newClient, text } from "../lib/sdk.mjs";

const MiB = 1024 * 1024;
let emulator;
let notion;
let dataSourceId;

before(async () => {
  emulator = await startEmulator("sdk_file_uploads", ["--max-upload-size", String(50 * MiB)]);
  notion = newClient(emulator, { retry: false });
  const database = await notion.databases.create({
    parent: { type: "page_id", page_id: emulator.rootPageId },
    title: text("Assets"),
    initial_data_source: { properties: { Name: { title: {} }, Attachments: { files: {} } } },
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

async function uploaded(filename, data) {
  const upload = await notion.fileUploads.create({ filename });
  return notion.fileUploads.send({ file_upload_id: upload.id, file: { filename, data } });
}

test("a small file: create, send, then attach it to a files property", async () => {
  const created = await notion.fileUploads.create({ mode: "single_part", filename: "notes.txt", content_type: "text/plain" });
  assert.equal(created.object, "file_upload");
  assert.equal(created.status, "pending");
  assert.ok(created.upload_url.endsWith(`/v1/file_uploads/${created.id}/send`));
  const sent = await notion.fileUploads.send({
    file_upload_id: created.id,
    file: { filename: "notes.txt", data: new Blob(["hello"], { type: "text/plain" }) },
  });
  assert.equal(sent.status, "uploaded");
  assert.equal(sent.content_length, 5);
  const page = await notion.pages.create({
    parent: { data_source_id: dataSourceId },
    properties: {
      Name: { title: text("With a file") },
      Attachments: { files: [{ type: "file_upload", file_upload: { id: created.id }, name: "Notes" }] },
    },
  });
  const [file] = page.properties.Attachments.files;
  assert.equal(file.type, "file");
  assert.equal(file.name, "Notes");
  const download = await fetch(file.file.url);
  assert.equal(await download.text(), "hello");
  assert.equal((await notion.fileUploads.retrieve({ file_upload_id: created.id })).expiry_time, null);
});

test("a large file: multi_part, parts sent in any order, then completed", async () => {
  const created = await notion.fileUploads.create({ mode: "multi_part", filename: "clip.mp4", content_type: "video/mp4", number_of_parts: 2 });
  assert.deepEqual(created.number_of_parts, { total: 2, sent: 0 });
  assert.ok(created.complete_url.endsWith(`/v1/file_uploads/${created.id}/complete`));
  await notion.fileUploads.send({ file_upload_id: created.id, part_number: "2", file: { filename: "clip.mp4", data: "tail" } });
  await rejectsWith(notion.fileUploads.complete({ file_upload_id: created.id }), "validation_error", "expects 2 parts");
  await notion.fileUploads.send({ file_upload_id: created.id, part_number: "1", file: { filename: "clip.mp4", data: "a".repeat(5 * MiB) } });
  const completed = await notion.fileUploads.complete({ file_upload_id: created.id });
  assert.equal(completed.status, "uploaded");
  assert.equal(completed.content_length, 5 * MiB + 4);
  assert.deepEqual(completed.number_of_parts, { total: 2, sent: 2 });
});

test("Notion's rules: part sizes, types, states", async () => {
  const multi = await notion.fileUploads.create({ mode: "multi_part", filename: "big.pdf", number_of_parts: 2 });
  await rejectsWith(
    notion.fileUploads.send({ file_upload_id: multi.id, part_number: "1", file: { data: "small" } }),
    "validation_error", "at least 5 MB");
  await rejectsWith(notion.fileUploads.create({ filename: "tool.exe" }), "validation_error", "Unsupported file extension");
  await rejectsWith(notion.fileUploads.create({ filename: "a.png", content_type: "text/plain" }), "validation_error");
  const done = await uploaded("done.json", "{}");
  await rejectsWith(notion.fileUploads.send({ file_upload_id: done.id, file: { data: "{}" } }), "validation_error", "uploaded");
});

test("an upload not attached within the hour expires and cannot be attached", async () => {
  const late = await uploaded("late.txt", "late");
  await emulator.admin("clock", { advance_ms: 61 * 60 * 1000 });
  assert.equal((await notion.fileUploads.retrieve({ file_upload_id: late.id })).status, "expired");
  await rejectsWith(notion.pages.create({
    parent: { data_source_id: dataSourceId },
    properties: { Attachments: { files: [{ file_upload: { id: late.id } }] } },
  }), "validation_error", "only an uploaded file upload can be attached");
  const expired = await collectPaginatedAPI(notion.fileUploads.list, { status: "expired" });
  assert.ok(expired.some((upload) => upload.id === late.id));
});

test("fileUploads.list answers the newest first, a page at a time", async () => {
  const a = await uploaded("a.txt", "a");
  const b = await uploaded("b.txt", "b");
  const first = await notion.fileUploads.list({ page_size: 1 });
  assert.equal(first.type, "file_upload");
  assert.deepEqual(first.results.map((upload) => upload.id), [b.id]);
  assert.equal(first.has_more, true);
  const all = await collectPaginatedAPI(notion.fileUploads.list, { status: "uploaded" });
  assert.ok(all.findIndex((upload) => upload.id === b.id) < all.findIndex((upload) => upload.id === a.id));
});

test("an uploaded image is a page's icon and cover; a PDF is no icon", async () => {
  const image = await uploaded("logo.png", new Blob(["PNG"], { type: "image/png" }));
  const page = await notion.pages.create({
    parent: { data_source_id: dataSourceId },
    properties: { Name: { title: text("Branded") } },
    icon: { type: "file_upload", file_upload: { id: image.id } },
    cover: { type: "file_upload", file_upload: { id: image.id } },
  });
  assert.equal(page.icon.type, "file");
  assert.equal(page.cover.type, "file");
  assert.equal(await (await fetch(page.cover.file.url)).text(), "PNG");
  const pdf = await uploaded("paper.pdf", "%PDF-1.7");
  await rejectsWith(notion.pages.update({ page_id: page.id, icon: { file_upload: { id: pdf.id } } }),
    "validation_error", "Page icons can't be PDFs");
});

test("users.list answers people and bots a page at a time", async () => {
  const users = await collectPaginatedAPI(notion.users.list, { page_size: 1 });
  assert.ok(users.some((user) => user.type === "person" && user.person.email));
  assert.equal(users.at(-1).type, "bot");
  const me = await notion.users.me({});
  assert.equal(me.bot.workspace_limits.max_file_upload_size_in_bytes, 50 * MiB);
});
