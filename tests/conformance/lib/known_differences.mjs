// Where the emulator knowingly answers differently from the recorded Notion answers replayed by
// test/replay.test.mjs: per version and case, the paths left out of the comparison and why.
// docs/emulator.md ("Known differences from recorded answers") names each case.
export const knownDifferences = {
  "2025-09-03": {},
  "2026-03-11": {},
};

// Versions whose recorded cases are listed but not replayed yet, with the reason.
export const pendingVersions = {};
