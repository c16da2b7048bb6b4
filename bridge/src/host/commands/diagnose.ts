/** diagnose: the doctor's checklist for the popup's help-desk report (redacted, see usecases/report.ts). */
import { doctorText } from "@jpki-guard/shared";
import { runDoctor } from "../../usecases/doctor.js";
import type { CommandHandler } from "./context.js";

export const diagnose: CommandHandler<"diagnose"> = async (ctx, params) => {
  const p = params ?? {};
  const report = await runDoctor({
    transport: ctx.transport,
    reader: p.reader,
    virtual: false,
    anchors: [],
    judge: { on: ctx.now(), action: p.action ?? "login", municipality: p.municipality ?? null },
    trace: false,
    installation: await ctx.installation(),
  });
  // The doctor's checklist as plain text, for pasting into a help-desk message.
  return {
    text: doctorText(report),
    items: report.items,
    facts: report.facts,
    verdict: { level: report.verdict.level, readiness: report.verdict.readiness, findings: report.verdict.findings },
  };
};
