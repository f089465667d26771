// The usual way a script writes pages with content through @notionhq/client: for every row,
// pages.create with the properties, then blocks.children.append with the body turned into blocks
// (a "## " line a heading, a "- " line a bulleted list item, any other line a paragraph).
// Sequential, with the SDK's default retries. Two calls per row.
//
//   NOTION_TOKEN=... NOTION_API_BASE_URL=http://127.0.0.1:PORT \
//     node create_then_append.mjs DATA_SOURCE_ID rows.jsonl
//
// The rows are the JSONL bench/page_bodies writes: {"name", "key", "score", "notes"}.
//
// The notionsync emulator has no PATCH /v1/blocks/{id}/children. So that the creates still run
// for real against it, the SDK is given a fetch that passes every request on except the appends:
// those the SDK builds as it would for Notion, and the fetch counts them (calls, blocks, bytes)
// and answers them itself, without sending them. The appends are a model, not a measurement.
// Prints one JSON line: {"rows", "created", "appends_not_sent", "append_blocks", "append_bytes"}.
import { readFileSync } from "node:fs";
import { Client } from "@notionhq/client";

const [dataSourceId, rowsPath] = process.argv.slice(2);

const appends = { calls: 0, blocks: 0, bytes: 0 };
async function fetchWithoutAppends(url, init) {
  const path = new URL(url).pathname;
  if (init?.method === "PATCH" && /^\/v1\/blocks\/[^/]+\/children$/.test(path)) {
    const body = init.body ?? "";
    appends.calls += 1;
    appends.bytes += Buffer.byteLength(body);
    appends.blocks += JSON.parse(body).children.length;
    return new Response(JSON.stringify({ object: "list", results: [], next_cursor: null,
                                         has_more: false, type: "block", block: {} }),
                        { status: 200, headers: { "content-type": "application/json" } });
  }
  return fetch(url, init);
}

const notion = new Client({
  auth: process.env.NOTION_TOKEN,
  baseUrl: process.env.NOTION_API_BASE_URL,
  fetch: fetchWithoutAppends,
});

const rows = readFileSync(rowsPath, "utf8")
  .split("\n")
  .filter((line) => line.length > 0)
  .map((line) => JSON.parse(line));

function richText(content) {
  return [{ type: "text", text: { content } }];
}

function blocks(markdown) {
  return markdown
    .split("\n")
    .filter((line) => line.trim().length > 0)
    .map((line) => {
      if (line.startsWith("## ")) {
        return { type: "heading_2", heading_2: { rich_text: richText(line.slice(3)) } };
      }
      if (line.startsWith("- ")) {
        return {
          type: "bulleted_list_item",
          bulleted_list_item: { rich_text: richText(line.slice(2)) },
        };
      }
      return { type: "paragraph", paragraph: { rich_text: richText(line) } };
    });
}

let created = 0;
for (const row of rows) {
  const page = await notion.pages.create({
    parent: { type: "data_source_id", data_source_id: dataSourceId },
    properties: {
      Name: { title: richText(row.name) },
      Key: { rich_text: richText(row.key) },
      Score: { number: row.score },
    },
  });
  created += 1;
  await notion.blocks.children.append({ block_id: page.id, children: blocks(row.notes) });
}

console.log(JSON.stringify({
  rows: rows.length,
  created,
  appends_not_sent: appends.calls,
  append_blocks: appends.blocks,
  append_bytes: appends.bytes,
}));
