// Shapes of real Notion answers (../shared/reference/notion-shapes-<version>.json, derived from
// exchanges recorded against a real workspace) and the skeleton of an emulator answer in the same
// form, so the two compare case by case.
//
// A skeleton keeps every key and JSON type and the deterministic values; what differs between
// two workspaces is replaced by a placeholder, the same way the shapes files were derived:
//   ids and request ids "<uuid>", property ids "<ignored>", timestamps by their format
//   ("<ts:YYYY-MM-DDTHH:MM:00.000Z>"), user names "<user-name>", emails "<email>", the 32 hex
//   digits of a URL "<id32>", the integration's name in a message "<name>", and the property
//   references Notion writes into formula expressions "<prop-ref>".
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));

// The shapes live beside the clone (CI checks out ../shared next to it); NOTION_SHAPES_DIR
// points elsewhere.
export function shapesDirectory() {
  return process.env.NOTION_SHAPES_DIR ?? resolve(here, "../../../../shared/reference");
}

export function shapesFile(version) {
  return join(shapesDirectory(), `notion-shapes-${version}.json`);
}

// The cases of one version's file, in file order: [{name, endpoint, status, opts, shape, source}].
export function loadShapes(version) {
  const file = shapesFile(version);
  if (!existsSync(file)) return null;
  const parsed = JSON.parse(readFileSync(file, "utf8"));
  return Object.entries(parsed.cases).map(([name, value]) => ({ name, ...value }));
}

const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const uuidOnly = new RegExp(`^${uuid.source}$`, "i");
const propertyIdKeys = new Set(["rollup_property_id", "relation_property_id", "synced_property_id"]);
const timestampKeys = new Set(["created_time", "last_edited_time"]);

function timestampFormat(text) {
  if (/^\d{4}-\d\d-\d\dT\d\d:\d\d:00\.000Z$/.test(text)) return "<ts:YYYY-MM-DDTHH:MM:00.000Z>";
  if (/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/.test(text)) return "<ts:YYYY-MM-DDTHH:MM:SS.mmm+00:00>";
  if (/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(text)) return "<ts:YYYY-MM-DDTHH:MM:SS.mmmZ>";
  return text;
}

function stringPlaceholder(text, key, parent) {
  if (key === "request_id" || uuidOnly.test(text)) return "<uuid>";
  if (key === "id" || propertyIdKeys.has(key) || key === "workspace_name") return "<ignored>";
  if (timestampKeys.has(key)) return timestampFormat(text);
  if (key === "name" && parent?.object === "user") return "<user-name>";
  if (key === "email" && parent !== null && Object.keys(parent).length === 1) return "<email>";
  if (key === "expression") return text.replace(/\{\{notion:block_property:[^}]*\}\}/g, "<prop-ref>");
  if (key === "url") return text.replace(/[0-9a-f]{32}/g, "<id32>").replace(uuid, "<uuid>");
  if (key === "message") {
    return text.replace(uuid, "<uuid>").replace(/integration "[^"]*"/, 'integration "<name>"');
  }
  return text;
}

// The skeleton of a JSON value, in the shapes files' notation ("string:x", "number:1", "bool:true",
// "null"; objects and arrays kept).
export function skeletonOf(value, key = null, parent = null) {
  if (value === null) return "null";
  if (Array.isArray(value)) return value.map((item) => skeletonOf(item, null, null));
  switch (typeof value) {
    case "object":
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, skeletonOf(v, k, value)]));
    case "string":
      return `string:${stringPlaceholder(value, key, parent)}`;
    case "number":
      return `number:${value}`;
    case "boolean":
      return `bool:${value}`;
    default:
      throw new Error(`not JSON: ${typeof value}`);
  }
}

// Paths in the shapes files' option syntax: "a.b", "results[0].properties.*", "title[0].*".
function parsePath(path) {
  return path.split(/\.|(?=\[)/).map((part) => {
    const index = /^\[(\d+)\]$/.exec(part);
    return index ? Number(index[1]) : part;
  });
}

function matchesPath(pattern, path) {
  for (let i = 0; i < pattern.length; i += 1) {
    if (pattern[i] === "*") return path.length > i;
    if (path.length <= i || pattern[i] !== path[i]) return false;
  }
  return path.length === pattern.length;
}

function formatPath(path) {
  return path.map((part) => (typeof part === "number" ? `[${part}]` : `.${part}`)).join("").replace(/^\./, "") || "(root)";
}

export const shapesArrayLimit = 3;

// Differences between a recorded skeleton and an actual one: ["path: expected X, got Y"].
// opts.ignore: paths left out on both sides; opts.ignore_value: paths compared by JSON type only.
export function compareShapes(expected, actual, opts = {}) {
  const ignored = (opts.ignore ?? []).map(parsePath);
  const typeOnly = (opts.ignore_value ?? []).map(parsePath);
  const differences = [];
  const kind = (value) => (Array.isArray(value) ? "array" : value === null ? "null" : typeof value === "object"
    ? "object" : String(value).split(":")[0]);
  const walk = (want, got, path) => {
    if (ignored.some((pattern) => matchesPath(pattern, path))) return;
    if (typeOnly.some((pattern) => matchesPath(pattern, path))) {
      if (kind(want) !== kind(got)) differences.push(`${formatPath(path)}: expected ${kind(want)}, got ${kind(got)}`);
      return;
    }
    if (Array.isArray(want) && Array.isArray(got)) {
      // The shapes files keep the first three items of an array (no recorded array is longer):
      // a longer answer compares by its first three.
      if (want.length === shapesArrayLimit && got.length > shapesArrayLimit) got = got.slice(0, shapesArrayLimit);
      if (want.length !== got.length) {
        differences.push(`${formatPath(path)}: expected ${want.length} items, got ${got.length}`);
      }
      for (let i = 0; i < Math.min(want.length, got.length); i += 1) walk(want[i], got[i], [...path, i]);
      return;
    }
    if (kind(want) === "object" && kind(got) === "object") {
      for (const k of Object.keys(want)) {
        if (!(k in got)) {
          if (!ignored.some((pattern) => matchesPath(pattern, [...path, k]))) {
            differences.push(`${formatPath([...path, k])}: missing (expected ${JSON.stringify(want[k]).slice(0, 80)})`);
          }
        } else {
          walk(want[k], got[k], [...path, k]);
        }
      }
      for (const k of Object.keys(got)) {
        if (!(k in want) && !ignored.some((pattern) => matchesPath(pattern, [...path, k]))) {
          differences.push(`${formatPath([...path, k])}: unexpected (got ${JSON.stringify(got[k]).slice(0, 80)})`);
        }
      }
      return;
    }
    if (JSON.stringify(want) !== JSON.stringify(got)) {
      differences.push(`${formatPath(path)}: expected ${JSON.stringify(want).slice(0, 120)}, got ${JSON.stringify(got).slice(0, 120)}`);
    }
  };
  walk(expected, actual, []);
  return differences;
}
