/** `doctor`: the help desk's checklist, optionally written as a redacted report. */
import { writeFileSync } from "node:fs";
import { runDoctor } from "../doctor.js";
import type { Options, Out } from "../options.js";
import { withTransport } from "../transport.js";
import { judge, printTrace } from "./judge.js";

export async function doctor(opts: Options, io: Out): Promise<number> {
  const j = judge(opts, io);
  return await withTransport(opts, io, async (transport, ctx) => {
    const report = await runDoctor({
      transport,
      reader: ctx.reader,
      virtual: ctx.virtual,
      anchors: ctx.anchors,
      judge: j,
      trace: opts.trace,
    });
    printTrace(report, io);
    const { trace: _trace, ...redacted } = report;
    if (opts.json) io.stdout(`${JSON.stringify(redacted, null, 2)}\n`);
    else io.stdout(`${report.text}\n`);
    if (opts.report) {
      writeFileSync(opts.report, `${JSON.stringify(redacted, null, 2)}\n`, { mode: 0o600 });
      io.stderr(`jpki-guard: redacted report written to ${opts.report}\n`);
    }
    return report.items.every((i) => i.ok) ? 0 : 1;
  });
}
