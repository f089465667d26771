// Validates recorded exchanges against the JSON Schemas generated from @notionhq/client's types.
// A request is checked when the emulator accepted it (2xx): the SDK's parameter type must admit it,
// so the emulator is never more lenient than Notion's own types. Every response with a body is
// checked against the response type of its endpoint, or the error schema.
import Ajv from "ajv";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const schemasDir = join(dirname(fileURLToPath(import.meta.url)), "../schemas");
const ajv = new Ajv({ strict: false, allErrors: false });
const compiled = new Map();

export function validator(name) {
  if (!compiled.has(name)) {
    compiled.set(name, ajv.compile(JSON.parse(readFileSync(join(schemasDir, `${name}.json`), "utf8"))));
  }
  return compiled.get(name);
}

const id = "([0-9a-fA-F-]{32,36})";
// [method, path pattern, request schema (or null), path parameter names, response schema]
const routes = [
  ["POST", /^\/v1\/pages$/, "CreatePageParameters", [], "PageObjectResponse"],
  ["GET", new RegExp(`^/v1/pages/${id}$`), null, [], "PageObjectResponse"],
  ["PATCH", new RegExp(`^/v1/pages/${id}$`), "UpdatePageParameters", ["page_id"], "PageObjectResponse"],
  ["GET", new RegExp(`^/v1/pages/${id}/properties/.+$`), null, [], "GetPagePropertyResponse"],
  ["GET", new RegExp(`^/v1/pages/${id}/markdown$`), null, [], "GetPageMarkdownResponse"],
  ["PATCH", new RegExp(`^/v1/pages/${id}/markdown$`), "UpdatePageMarkdownParameters", ["page_id"], "UpdatePageMarkdownResponse"],
  ["POST", /^\/v1\/data_sources$/, "CreateDataSourceParameters", [], "DataSourceObjectResponse"],
  ["GET", new RegExp(`^/v1/data_sources/${id}$`), null, [], "DataSourceObjectResponse"],
  ["PATCH", new RegExp(`^/v1/data_sources/${id}$`), "UpdateDataSourceParameters", ["data_source_id"], "DataSourceObjectResponse"],
  ["POST", new RegExp(`^/v1/data_sources/${id}/query$`), "QueryDataSourceParameters", ["data_source_id"], "QueryDataSourceResponse"],
  ["POST", /^\/v1\/databases$/, "CreateDatabaseParameters", [], "DatabaseObjectResponse"],
  ["GET", new RegExp(`^/v1/databases/${id}$`), null, [], "DatabaseObjectResponse"],
  ["PATCH", new RegExp(`^/v1/databases/${id}$`), "UpdateDatabaseParameters", ["database_id"], "DatabaseObjectResponse"],
  ["POST", /^\/v1\/search$/, "SearchParameters", [], "SearchResponse"],
  ["GET", /^\/v1\/users\/me$/, null, [], "GetSelfResponse"],
  ["GET", /^\/v1\/users$/, null, [], "ListUsersResponse"],
  ["GET", new RegExp(`^/v1/users/${id}$`), null, [], "GetUserResponse"],
  ["GET", new RegExp(`^/v1/blocks/${id}$`), null, [], "GetBlockResponse"],
  ["DELETE", new RegExp(`^/v1/blocks/${id}$`), null, [], "DeleteBlockResponse"],
  ["GET", new RegExp(`^/v1/blocks/${id}/children$`), null, [], "ListBlockChildrenResponse"],
  ["POST", /^\/v1\/file_uploads$/, "CreateFileUploadParameters", [], "FileUploadObjectResponse"],
  ["GET", /^\/v1\/file_uploads$/, null, [], "ListFileUploadsResponse"],
  ["GET", new RegExp(`^/v1/file_uploads/${id}$`), null, [], "FileUploadObjectResponse"],
  // The send is multipart/form-data; the recording keeps only its fields, the file's name, type
  // and size (never the bytes), which no SDK type describes: only its answer is checked.
  ["POST", new RegExp(`^/v1/file_uploads/${id}/send$`), null, [], "FileUploadObjectResponse"],
  ["POST", new RegExp(`^/v1/file_uploads/${id}/complete$`), null, [], "FileUploadObjectResponse"],
];

// The SDK's types (5.26.0) describe 2025-09-03 answers, where pages, databases, data sources,
// blocks and file uploads carry `archived`. Under 2026-03-11 Notion answers in_trash only (upgrade guide for
// 2026-03-11; recorded: ../shared/reference/notion-shapes-2026-03-11.json), so such an answer is
// checked with `archived` restored from in_trash; it must not carry `archived` itself.
const trashBearing = new Set(["page", "database", "data_source", "block", "file_upload"]);
function asSdkTypesDescribe(response, notionVersion) {
  if (notionVersion !== "2026-03-11") return response;
  const restore = (object) => {
    if (object === null || typeof object !== "object" || !trashBearing.has(object.object)) return object;
    if ("archived" in object) return { ...object, archived: "2026-03-11 answers have no archived" };
    return { ...object, archived: object.in_trash };
  };
  const restored = restore(response);
  return Array.isArray(restored.results) ? { ...restored, results: restored.results.map(restore) } : restored;
}

// A request body without the response fields a client echoes back and Notion takes and ignores
// (each recorded with a 200 in the exchanges behind ../shared/reference/notion-shapes-*.json, case
// request_plain_text_accepted and request_relation_has_more_accepted): `plain_text` and `href` on
// rich text items, `has_more` on relation values. The SDK's request types omit them; the emulator
// accepts exactly these (docs/emulator.md, "Response fields in requests").
export function withoutEchoedFields(value) {
  if (Array.isArray(value)) return value.map(withoutEchoedFields);
  if (value === null || typeof value !== "object") return value;
  const copy = Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, withoutEchoedFields(inner)]));
  if ("text" in copy || "mention" in copy || "equation" in copy) {
    delete copy.plain_text;
    delete copy.href;
  }
  if (Array.isArray(copy.relation) && "has_more" in copy) delete copy.has_more;
  return copy;
}

// The SDK's parameter object for a request: body, path parameters and array query parameters.
function parametersOf(exchange, match, pathNames) {
  const body = withoutEchoedFields(exchange.request_body);
  const parameters = body && typeof body === "object" && !Array.isArray(body) ? { ...body } : {};
  pathNames.forEach((name, index) => { parameters[name] = match[index + 1]; });
  const filterProperties = [
    ...(exchange.query?.filter_properties ?? []), ...(exchange.query?.["filter_properties[]"] ?? []),
  ];
  if (filterProperties.length > 0) parameters.filter_properties = filterProperties;
  return parameters;
}

function describe(errors) {
  return (errors ?? []).slice(0, 3).map((e) => `${e.instancePath || "/"} ${e.message} ${JSON.stringify(e.params)}`).join("; ");
}

// Returns a list of problems (empty when the exchange conforms) and the schemas it was checked with.
export function checkExchange(exchange) {
  const problems = [];
  const used = [];
  const where = `${exchange.method} ${exchange.path} -> ${exchange.status}${exchange.fault ? ` (${exchange.fault})` : ""}`;
  if (exchange.status === 0 || exchange.response_body === null) return { problems, used };
  if (exchange.status >= 400) {
    const check = validator("ErrorResponse");
    used.push("ErrorResponse");
    if (!check(exchange.response_body)) problems.push(`${where}: error body: ${describe(check.errors)}`);
    return { problems, used };
  }
  const route = routes.find(([method, pattern]) => method === exchange.method && pattern.test(exchange.path));
  if (!route) return { problems: [`${where}: no schema for this endpoint`], used };
  const [, pattern, requestSchema, pathNames, responseSchema] = route;
  if (requestSchema) {
    const check = validator(requestSchema);
    used.push(requestSchema);
    const parameters = parametersOf(exchange, exchange.path.match(pattern), pathNames);
    if (!check(parameters)) problems.push(`${where}: request ${requestSchema}: ${describe(check.errors)}`);
  }
  // Notion repeats the request id (the x-notion-request-id header) in every body; the SDK's types
  // omit it, so it is checked here and left out of the schema check.
  const { request_id: requestId, ...response } = exchange.response_body;
  if (requestId !== exchange.request_id) problems.push(`${where}: body request_id ${requestId} is not the exchange's ${exchange.request_id}`);
  const check = validator(responseSchema);
  used.push(responseSchema);
  if (!check(asSdkTypesDescribe(response, exchange.notion_version))) {
    problems.push(`${where}: response ${responseSchema}: ${describe(check.errors)}`);
  }
  return { problems, used };
}
