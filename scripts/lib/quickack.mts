/**
 * vpcd sends each message in two writes; with Nagle + delayed ACK each APDU
 * can cost ~40 ms on loopback. As root, benchmarks turn on quickack for
 * loopback for their run and restore the route afterwards.
 */
import { execFileSync } from "node:child_process";

const ROUTE = [
  "route",
  "change",
  "local",
  "127.0.0.1",
  "dev",
  "lo",
  "table",
  "local",
  "proto",
  "kernel",
  "scope",
  "host",
  "src",
  "127.0.0.1",
];

export function enableQuickack(): boolean {
  if (process.getuid?.() !== 0 || process.env.BENCH_QUICKACK === "0") return false;
  try {
    execFileSync("ip", [...ROUTE, "quickack", "1"], { stdio: "ignore" });
  } catch {
    return false;
  }
  const restore = () => {
    try {
      execFileSync("ip", ROUTE, { stdio: "ignore" });
    } catch {
      // route already gone: nothing to restore
    }
  };
  process.on("exit", restore);
  return true;
}
