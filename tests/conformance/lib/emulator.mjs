// Starts the notion-emulator binary for one test file: a free port (--port-file), unlimited rate
// unless asked, and a recording in .recordings/ that validate/recordings.test.mjs checks later.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";

const here = dirname(fileURLToPath(import.meta.url));
export const recordingsDir = resolve(here, "../.recordings");
export const token = "secret_conformance";

export function emulatorBinary() {
  return process.env.NOTION_EMULATOR_BIN ?? resolve(here, "../../../build/dev/emulator/notion-emulator");
}

export async function startEmulator(name, extraArgs = []) {
  const binary = emulatorBinary();
  if (!existsSync(binary)) throw new Error(`notion-emulator not found at ${binary}; build it or set NOTION_EMULATOR_BIN`);
  mkdirSync(recordingsDir, { recursive: true });
  const scratch = mkdtempSync(join(tmpdir(), "notion-emulator-"));
  const portFile = join(scratch, "port");
  const recordPath = join(recordingsDir, `${name}.jsonl`);
  const rate = extraArgs.includes("--rate") ? [] : ["--rate", "0"];
  const args = ["--port", "0", "--port-file", portFile, "--record", recordPath, "--token", token, ...rate,
                ...extraArgs];
  const child = spawn(binary, args, { stdio: ["ignore", "ignore", "inherit"] });
  const exited = new Promise((done) => child.once("exit", done));
  for (let waited = 0; !existsSync(portFile); waited += 20) {
    if (child.exitCode !== null || waited > 10000) throw new Error(`notion-emulator did not start (${args.join(" ")})`);
    await sleep(20);
  }
  const baseUrl = `http://127.0.0.1:${readFileSync(portFile, "utf8").trim()}`;
  const health = await (await fetch(`${baseUrl}/__emulator/health`)).json();
  return {
    baseUrl,
    recordPath,
    rootPageId: health.root_page_id,
    async admin(path, body) {
      const response = await fetch(`${baseUrl}/__emulator/${path}`, {
        method: body === undefined ? "GET" : "POST",
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`admin ${path}: ${await response.text()}`);
      return response.json();
    },
    recording() {
      return readFileSync(recordPath, "utf8").split("\n").filter(Boolean).map((line) => JSON.parse(line));
    },
    async stop() {
      child.kill("SIGTERM");
      await exited;
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}
