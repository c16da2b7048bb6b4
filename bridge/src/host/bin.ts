#!/usr/bin/env node
// Entry of the native-messaging host. Before anything else, keep stdout for
// frames only.
import { guardStdout } from "./stdout-guard.js";

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
