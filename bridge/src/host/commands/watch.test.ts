import type { Status } from "@jpki-guard/shared";
import { describe, expect, it } from "vitest";
import type { CommandContext } from "./context.js";
import { watch } from "./watch.js";

describe("watch command", () => {
  it("watches with the request's params before it answers the first status", async () => {
    const calls: unknown[] = [];
    const answer = { facts: {}, verdict: {} } as unknown as Status;
    const ctx = {
      startWatching: (p: unknown) => calls.push(["watch", p]),
      status: async (p: unknown) => {
        calls.push(["status", p]);
        return answer;
      },
    } as unknown as CommandContext;
    expect(await watch(ctx, { municipality: "142034" })).toBe(answer);
    expect(calls).toEqual([
      ["watch", { municipality: "142034" }],
      ["status", { municipality: "142034" }],
    ]);
  });

  it("inUse goes to the watch only (the status params stay as they were)", async () => {
    const calls: unknown[] = [];
    const ctx = {
      startWatching: (p: unknown) => calls.push(["watch", p]),
      status: async (p: unknown) => void calls.push(["status", p]),
    } as unknown as CommandContext;
    await watch(ctx, { municipality: "142034", inUse: false });
    expect(calls).toEqual([
      ["watch", { municipality: "142034", inUse: false }],
      ["status", { municipality: "142034" }],
    ]);
  });
});
