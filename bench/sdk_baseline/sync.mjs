// The baseline: a CSV-to-Notion sync as users write it with @notionhq/client. For every row it
// queries the data source by key, then updates the page found or creates one; then it lists the
// data source and trashes pages whose key is no longer in the CSV. Sequential, with the SDK's
// default retries (429/529 and some 5xx). No state is kept between runs.
//
//   NOTION_TOKEN=... NOTION_API_BASE_URL=http://127.0.0.1:PORT \
//     node sync.mjs DATA_SOURCE_ID people.csv
//
// The CSV is the one bench/sync_scenarios writes: name,key,score (no quoted fields). Prints one
// JSON line: {"rows", "created", "updated", "trashed"}.
import { readFileSync } from "node:fs";
import { Client } from "@notionhq/client";

const [dataSourceId, csvPath] = process.argv.slice(2);
const notion = new Client({
  auth: process.env.NOTION_TOKEN,
  baseUrl: process.env.NOTION_API_BASE_URL,
});

const lines = readFileSync(csvPath, "utf8").split("\n").filter((line) => line.length > 0);
const header = lines[0].split(",");
const rows = lines.slice(1).map((line) => {
  const fields = line.split(",");
  return Object.fromEntries(header.map((name, i) => [name, fields[i]]));
});

function properties(row) {
  return {
    Name: { title: [{ text: { content: row.name } }] },
    Key: { rich_text: [{ text: { content: row.key } }] },
    Score: { number: Number(row.score) },
  };
}

let created = 0;
let updated = 0;
for (const row of rows) {
  const found = await notion.dataSources.query({
    data_source_id: dataSourceId,
    filter: { property: "Key", rich_text: { equals: row.key } },
    page_size: 1,
  });
  if (found.results.length > 0) {
    await notion.pages.update({ page_id: found.results[0].id, properties: properties(row) });
    updated += 1;
  } else {
    await notion.pages.create({
      parent: { type: "data_source_id", data_source_id: dataSourceId },
      properties: properties(row),
    });
    created += 1;
  }
}

const declared = new Set(rows.map((row) => row.key));
let trashed = 0;
let cursor = undefined;
do {
  const page = await notion.dataSources.query({
    data_source_id: dataSourceId,
    start_cursor: cursor,
    page_size: 100,
  });
  for (const result of page.results) {
    const key = result.properties.Key.rich_text.map((item) => item.plain_text).join("");
    if (!declared.has(key)) {
      await notion.pages.update({ page_id: result.id, in_trash: true });
      trashed += 1;
    }
  }
  cursor = page.has_more ? page.next_cursor : undefined;
} while (cursor);

console.log(JSON.stringify({ rows: rows.length, created, updated, trashed }));
