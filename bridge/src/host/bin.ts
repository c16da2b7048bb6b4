#!/usr/bin/env node
// Entry of the native-messaging host. Before anything else, keep stdout for
// frames only.
const rawWrite = process.stdout.write.bind(process.stdout);
const toStderr = ((chunk: unknown, enc?: unknown, cb?: unknown) =>
  (process.stderr.write as (...a: unknown[]) => boolean)(chunk, enc, cb)) as typeof process.stdout.write;
process.stdout.write = toStderr;
console.log = console.error;
console.info = console.error;
console.debug = console.error;
console.warn = console.error;

process.stdout.on("error", () => process.exit(0)); // the browser closed the port

const { runHost } = await import("./main.js");
await runHost({
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

export {};
