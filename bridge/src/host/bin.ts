#!/usr/bin/env node
// Entry of the native-messaging host. Before anything else, keep stdout for
// frames only.
import { setFlagsFromString } from "node:v8";
import { guardStdout } from "./stdout-guard.js";

// A small young generation: the host answers small requests for as long as a portal tab or the popup
// is open, and V8's default lets the new space grow to 16 MiB per semi-space under a burst of them.
// Set after V8 started, the size cap alone did not hold in a side-by-side run; with the growth factor
// at 1 the new space stays small: RSS after 10,000 statuses 69.9 -> 62-64 MiB, the CPU cost not
// measurable (docs/decisions.md, "The host's budgets, traced and met").
setFlagsFromString("--max-semi-space-size=1");
setFlagsFromString("--semi-space-growth-factor=1");

const rawWrite = guardStdout();
process.stdout.on("error", () => process.exit(0)); // the browser closed the port

const { runHost, readInstalledOrigins } = await import("./main.js");
await runHost({
  installedOrigins: process.argv[1] ? readInstalledOrigins(process.argv[1]) : null,
  stdin: process.stdin,
  writeFrame: (b) => rawWrite(b),
  argv: process.argv.slice(2),
  env: process.env,
  exit: (code) => {
    process.exitCode = code;
    // Let pending writes flush, then leave even if a native handle lingers.
    setTimeout(() => process.exit(code), 50).unref();
  },
});
