// Generates JSON Schemas from @notionhq/client's TypeScript types into ../schemas/.
// Run after changing the pinned SDK version: `npm run generate-schemas`.
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createGenerator } from "ts-json-schema-generator";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");
const endpoints = join(root, "node_modules/@notionhq/client/build/src/api-endpoints");

// [type, declaring file]
const types = [
  // Requests: body, path and query parameters merged, as the SDK's methods take them.
  ["CreatePageParameters", "pages.d.ts"],
  ["UpdatePageParameters", "pages.d.ts"],
  ["UpdatePageMarkdownParameters", "pages.d.ts"],
  ["QueryDataSourceParameters", "data-sources.d.ts"],
  ["CreateDataSourceParameters", "data-sources.d.ts"],
  ["UpdateDataSourceParameters", "data-sources.d.ts"],
  ["CreateDatabaseParameters", "databases.d.ts"],
  ["UpdateDatabaseParameters", "databases.d.ts"],
  ["SearchParameters", "search.d.ts"],
  ["CreateFileUploadParameters", "file-uploads.d.ts"],
  // Responses.
  ["PageObjectResponse", "common.d.ts"],
  ["GetPageMarkdownResponse", "pages.d.ts"],
  ["UpdatePageMarkdownResponse", "pages.d.ts"],
  ["QueryDataSourceResponse", "data-sources.d.ts"],
  ["DataSourceObjectResponse", "data-sources.d.ts"],
  ["DatabaseObjectResponse", "databases.d.ts"],
  ["SearchResponse", "search.d.ts"],
  ["GetSelfResponse", "users.d.ts"],
  ["GetUserResponse", "users.d.ts"],
  ["ListUsersResponse", "users.d.ts"],
  ["GetPagePropertyResponse", "pages.d.ts"],
  ["GetBlockResponse", "blocks.d.ts"],
  ["DeleteBlockResponse", "blocks.d.ts"],
  ["ListBlockChildrenResponse", "blocks.d.ts"],
  ["FileUploadObjectResponse", "file-uploads.d.ts"],
  ["ListFileUploadsResponse", "file-uploads.d.ts"],
];

// Notion answers relation values of a page with a top-level `has_more` (true when it truncated the
// list at 25), but the SDK's types omit it (makenotion/notion-sdk-js#443). This is the one place
// the generated schemas are amended: the relation property value admits a boolean `has_more`.
function allowRelationHasMore(node) {
  if (Array.isArray(node)) {
    node.forEach(allowRelationHasMore);
    return;
  }
  if (node === null || typeof node !== "object") return;
  const properties = node.properties;
  if (properties?.type?.const === "relation" && properties.relation?.type === "array" && properties.id) {
    properties.has_more = { type: "boolean" };
  }
  Object.values(node).forEach(allowRelationHasMore);
}

function generate(type, path) {
  const started = Date.now();
  const schema = createGenerator({ path, type, skipTypeCheck: true, expose: "export", topRef: true })
    .createSchema(type);
  allowRelationHasMore(schema);
  writeFileSync(join(root, "schemas", `${type}.json`), JSON.stringify(schema, null, 1) + "\n");
  console.log(`${type}: ${Date.now() - started} ms`);
}

for (const [type, file] of types) generate(type, join(endpoints, file));
generate("ErrorResponse", join(here, "error-response.ts"));
