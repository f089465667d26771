// Empties .recordings/ before a run, so the validation step sees this run's exchanges only.
import { rmSync } from "node:fs";
import { recordingsDir } from "../lib/emulator.mjs";

rmSync(recordingsDir, { recursive: true, force: true });
