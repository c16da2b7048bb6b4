import { describe, expect, it } from "vitest";
import type { CommandContext } from "./context.js";
import { unwatch } from "./unwatch.js";

describe("unwatch command", () => {
  it("stops watching and says so, without reading the card", async () => {
    const calls: string[] = [];
    const ctx = {
      stopWatching: () => calls.push("stop"),
      status: async () => calls.push("status"),
    } as unknown as CommandContext;
    expect(await unwatch(ctx, undefined)).toEqual({ watching: false });
    expect(calls).toEqual(["stop"]);
  });
});
