import type { Status } from "@jpki-guard/shared";
import { describe, expect, it } from "vitest";
import type { CommandContext } from "./context.js";
import { status } from "./status.js";

describe("status command", () => {
  it("answers the session's status for the params (none: all defaults), and starts no watch", async () => {
    const asked: unknown[] = [];
    const calls: string[] = [];
    const answer = { facts: {}, verdict: {} } as unknown as Status;
    const ctx = {
      status: async (p: unknown) => {
        asked.push(p);
        return answer;
      },
      startWatching: () => calls.push("watch"),
    } as unknown as CommandContext;
    expect(await status(ctx, { action: "sign", fresh: true })).toBe(answer);
    expect(await status(ctx, undefined)).toBe(answer);
    expect(asked).toEqual([{ action: "sign", fresh: true }, {}]);
    expect(calls).toEqual([]);
  });
});
