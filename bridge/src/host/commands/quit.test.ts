import { describe, expect, it } from "vitest";
import type { CommandContext } from "./context.js";
import { quit } from "./quit.js";

describe("quit command", () => {
  it("asks the session to end and says goodbye", async () => {
    const calls: string[] = [];
    const ctx = { quit: () => calls.push("quit") } as unknown as CommandContext;
    expect(await quit(ctx, undefined)).toEqual({ bye: true });
    expect(calls).toEqual(["quit"]);
  });
});
