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
    // Protocol 1's items carry no status (an older popup's strict check would refuse one): ok is false for warnings too.
    items: report.items.map(({ status: _status, ...i }) => i),
    facts: report.facts,
    verdict: { level: report.verdict.level, readiness: report.verdict.readiness, findings: report.verdict.findings },
  };
};
