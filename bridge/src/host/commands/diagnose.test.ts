import { DiagnoseResultSchema } from "@jpki-guard/shared";
import { buildCard, namedProfile } from "@jpki-guard/virtual-card";
import { describe, expect, it } from "vitest";
import { MemoryTransport } from "../../transport/memory.js";
import type { CommandContext } from "./context.js";
import { diagnose } from "./diagnose.js";

describe("diagnose command", () => {
  it("the doctor's checklist for the card in the reader, judged for the action asked, as the protocol's result", async () => {
    const transport = new MemoryTransport({ R: buildCard(await namedProfile("auth-pin-locked")) });
    const installation = [{ id: "installation", ok: true, detail: "test" }];
    const ctx = {
      transport,
      now: () => new Date("2026-11-26T03:00:00Z"),
      installation: async () => installation,
    } as unknown as CommandContext;
    const r = DiagnoseResultSchema.parse(await diagnose(ctx, { action: "sign" }));
    expect(r.text).toContain("jpki-guard doctor");
    expect(r.items.find((i) => i.id === "auth-pin")?.ok).toBe(false);
    expect(r.verdict.findings).toContain("auth-pin-locked");
    expect(r.verdict.readiness.login).toBe("blocked");
    // The installation's items come from the session (never read from this machine by the command).
    expect(r.items.find((i) => i.id === "installation")?.detail).toBe("test");
  });
});
