import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

describe("stdout guard", () => {
  it("console output and stray stdout writes after the guard go to stderr; frames alone reach stdout", () => {
    const guard = fileURLToPath(new URL("./stdout-guard.ts", import.meta.url));
    const framing = fileURLToPath(new URL("./framing.ts", import.meta.url));
    const script = `
      const { guardStdout } = await import(${JSON.stringify(guard)});
      const { encodeFrame } = await import(${JSON.stringify(framing)});
      const raw = guardStdout();
      console.log("a dependency says hello");
      console.info("info"); console.warn("warn"); console.debug("debug");
      process.stdout.write("stray bytes\\n");
      raw(encodeFrame({ type: "hello" }));
    `;
    const out = execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      cwd: fileURLToPath(new URL("../../../", import.meta.url)),
      stdio: ["ignore", "pipe", "pipe"],
    });
    const len = out.readUInt32LE(0);
    expect(out.length).toBe(4 + len);
    expect(JSON.parse(out.subarray(4).toString("utf8"))).toEqual({ type: "hello" });
  });
});
