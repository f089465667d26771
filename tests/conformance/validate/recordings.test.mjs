// Runs after the SDK suites: every exchange recorded in this run — the node suites' own
// (.recordings/) and, when NOTION_EMULATOR_RECORD_DIR is set, every C++ suite's — must match the
// JSON Schemas generated from the SDK's types (see lib/schemas.mjs for what is checked).
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { recordingsDir } from "../lib/emulator.mjs";
import { checkExchange, validator } from "../lib/schemas.mjs";

function recordingFiles() {
  const directories = [recordingsDir, process.env.NOTION_EMULATOR_RECORD_DIR].filter((dir) => dir && existsSync(dir));
  return directories.flatMap((dir) =>
    readdirSync(dir).filter((name) => name.endsWith(".jsonl")).map((name) => join(dir, name)));
}

function exchangesOf(file) {
  const text = readFileSync(file, "utf8");
  const lines = text.split("\n");
  // A process killed mid-write (crash tests) may leave one unterminated last line: skip only that.
  const complete = text.endsWith("\n") ? lines : lines.slice(0, -1);
  return complete.filter(Boolean).map((line, index) => {
    try {
      return JSON.parse(line);
    } catch (error) {
      throw new Error(`${file}:${index + 1}: not JSON: ${error.message}`);
    }
  });
}

test("the schemas tell a well-formed create-page body from a malformed one", () => {
  const check = validator("CreatePageParameters");
  const parent = { data_source_id: "5ae9a6c1-e959-477a-b268-8e7bcded152e" };
  assert.equal(check({ parent, properties: { Name: { title: [{ text: { content: "x" } }] } } }), true);
  assert.equal(check({ parent, properties: { Name: { title: "x" } } }), false);
  assert.equal(check({ parent, properties: {}, unknown_key: true }), false);
});

test("every recorded exchange matches the SDK's types", () => {
  const files = recordingFiles();
  const own = files.filter((file) => file.startsWith(recordingsDir));
  assert.ok(own.length >= 3, `expected the SDK suites' recordings in ${recordingsDir}`);
  const problems = [];
  const used = new Set();
  let exchanges = 0;
  for (const file of files) {
    for (const exchange of exchangesOf(file)) {
      exchanges += 1;
      const result = checkExchange(exchange);
      result.used.forEach((name) => used.add(name));
      problems.push(...result.problems.map((problem) => `${file}: ${problem}`));
    }
  }
  console.log(`validated ${exchanges} exchanges from ${files.length} recordings`);
  assert.deepEqual(problems.slice(0, 20), [], `${problems.length} non-conforming exchanges`);
  // The SDK suites exercise every endpoint, so every schema took part.
  const schemas = readdirSync(new URL("../schemas/", import.meta.url)).map((name) => name.replace(/\.json$/, ""));
  assert.deepEqual(schemas.filter((name) => !used.has(name)), []);
});
