// Replays, against the emulator, the requests whose answers Notion gave a real workspace
// (../shared/reference/notion-shapes-<version>.json), and compares each answer's skeleton with the
// recorded one: status, keys, JSON types and deterministic values.
//
// Every case must match, except the paths listed in lib/known_differences.mjs, each with its
// reason (and named in docs/emulator.md). A known difference that stopped differing fails too, so
// the list never outlives what it describes. A version the emulator does not speak yet is listed
// as pending, case by case.
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { startEmulator, token } from "../lib/emulator.mjs";
import { knownDifferences, pendingVersions } from "../lib/known_differences.mjs";
import { replayCases } from "../lib/replay_cases.mjs";
import { compareShapes, loadShapes, shapesFile, skeletonOf } from "../lib/shapes.mjs";

const versions = ["2025-09-03", "2026-03-11"];
const docs = readFileSync(new URL("../../../docs/emulator.md", import.meta.url), "utf8");

// The recorded workspace had a person and a second integration besides the one calling.
function usersFile() {
  const file = join(mkdtempSync(join(tmpdir(), "replay-users-")), "users.json");
  writeFileSync(file, JSON.stringify({
    users: [
      { type: "person", name: "Replay Person", email: "person@example.com" },
      { type: "bot", name: "Another Integration" },
    ],
  }));
  return file;
}

for (const version of versions) {
  const cases = loadShapes(version);
  describe(`recorded Notion answers, Notion-Version ${version}`, () => {
    if (cases === null) {
      // CI checks out ../shared beside the clone; a clone on its own has no shapes to replay.
      test(`shapes file ${shapesFile(version)}`, { skip: process.env.CI !== "true" && "not present" }, () => {
        assert.fail(`${shapesFile(version)} is missing`);
      });
      return;
    }
    if (pendingVersions[version]) {
      for (const recorded of cases) test.todo(`${recorded.name}: ${pendingVersions[version]}`);
      return;
    }
    let emulator;
    let run;
    before(async () => {
      emulator = await startEmulator(`replay-${version}`, ["--users", usersFile()]);
      const call = async (method, path, body) => {
        const response = await fetch(`${emulator.baseUrl}${path}`, {
          method,
          headers: { Authorization: `Bearer ${token}`, "Notion-Version": version, "Content-Type": "application/json" },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        const text = await response.text();
        return { status: response.status, body: text ? JSON.parse(text) : null };
      };
      // A workspace without a person still replays: the cases naming one then fail on their own.
      const users = (await call("GET", "/v1/users")).body?.results ?? [];
      const idCase = cases.find((c) => c.name === "get_ds_B_all_props");
      run = replayCases({
        call,
        version,
        rootPageId: emulator.rootPageId,
        personId: users.find((user) => user.type === "person")?.id ?? "a0a0a0a0-0000-4000-8000-000000000000",
        uniqueIdPrefix: idCase.shape.properties.ID.unique_id.prefix.replace(/^string:/, ""),
      });
    });
    after(() => emulator?.stop());

    for (const recorded of cases) {
      test(`${recorded.name} (${recorded.endpoint} → ${recorded.status})`, async () => {
        const send = run[recorded.name];
        assert.ok(send, `no request written for case ${recorded.name}`);
        const answer = await send();
        const known = knownDifferences[version]?.[recorded.name];
        const actual = { status: answer.status, shape: skeletonOf(answer.body) };
        const expected = { status: recorded.status, shape: recorded.shape };
        const opts = {
          ignore: [...(recorded.opts.ignore ?? []), ...(known?.ignore ?? [])].map((path) => `shape.${path}`),
          ignore_value: (recorded.opts.ignore_value ?? []).map((path) => `shape.${path}`),
        };
        const differences = compareShapes(expected, actual, opts);
        assert.deepEqual(differences, [], `${recorded.source}: the emulator answers differently`);
        if (known) {
          assert.ok(docs.includes(recorded.name), `known difference ${recorded.name} is not described in docs/emulator.md`);
          const strict = compareShapes(expected, actual, { ...opts, ignore: (recorded.opts.ignore ?? []).map((path) => `shape.${path}`) });
          assert.notDeepEqual(strict, [], `known difference ${recorded.name} no longer differs: remove it from lib/known_differences.mjs`);
        }
      });
    }
  });
}

test("every known difference names a recorded case", () => {
  for (const [version, entries] of Object.entries(knownDifferences)) {
    const names = new Set((loadShapes(version) ?? []).map((c) => c.name));
    if (names.size === 0) continue;
    for (const name of Object.keys(entries)) assert.ok(names.has(name), `${version}: ${name} is not a recorded case`);
  }
  assert.ok(existsSync(new URL("../lib/known_differences.mjs", import.meta.url)));
});
