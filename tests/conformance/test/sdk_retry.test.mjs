// Notion's rate limit is absorbed by the SDK's own retry, which honours Retry-After.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startEmulator } from "../lib/emulator.mjs";
import { newClient } from "../lib/sdk.mjs";

let emulator;
let notion;

before(async () => {
  // Two tokens, two more per second: a burst of four gets two 429s (Retry-After: 1) and then fits.
  emulator = await startEmulator("sdk_retry", ["--rate", "2", "--burst", "2"]);
  notion = newClient(emulator);
});
after(() => emulator.stop());

test("a rate-limited burst succeeds through the SDK's retries", async () => {
  const answers = await Promise.all(Array.from({ length: 4 }, () => notion.users.me({})));
  assert.equal(answers.length, 4);
  const statuses = emulator.recording().map((exchange) => exchange.status);
  const limited = statuses.filter((status) => status === 429).length;
  assert.ok(limited >= 1, `expected 429s in the recording, got ${statuses}`);
  assert.equal(statuses.filter((status) => status === 200).length, 4);
  assert.ok(emulator.recording().filter((e) => e.status === 429).every((e) => e.response_body.code === "rate_limited"));
});

test("529 service_overload is retried too", async () => {
  await emulator.admin("rate", { rate: 0, burst: 10 });  // only the injected 529s, no rate limit
  await emulator.admin("faults", { spec: "529#2", seed: 1 });
  const before = emulator.recording().length;
  await notion.users.me({});
  const statuses = emulator.recording().slice(before).map((exchange) => exchange.status);
  assert.deepEqual(statuses, [529, 529, 200]);
});
