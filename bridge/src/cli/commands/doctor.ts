/** `doctor`: the help desk's checklist, optionally written as a redacted report. */
import { homedir } from "node:os";
import { doctorText, reportSchemaFor } from "@jpki-guard/shared/rules";
import { installChecks } from "../../install/checks.js";
import { type DoctorItem, type DoctorReport, runDoctor } from "../../usecases/doctor.js";
import { EXIT } from "../exit.js";
import type { Options, Out } from "../options.js";
import { writeReportFile } from "../report-file.js";
import { withTransport } from "../transport.js";
import { UsageError } from "../usage.js";

import { judge, printTrace } from "./judge.js";

export { writeReportFile } from "../report-file.js";

/** The report as `--json` and `--report` write it: the checklist, facts, verdict codes and the text; no trace. */
export function reportJson(r: DoctorReport, municipality: string | null = null): string {
  const { level, readiness, findings } = r.verdict;
  const out = {
    reportSchema: reportSchemaFor(false),
    tool: r.tool,
    version: r.version,
    node: r.node,
    platform: r.platform,
    municipality,
    items: r.items,
    facts: r.facts,
    verdict: { level, readiness, findings },
    text: doctorText(r),
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}

/** What doctor reaches outside itself; tests pass their own (a memory card, another OS's installation). */
export interface DoctorDeps {
  withTransport: typeof withTransport;
  /** The installation's items (browsers, manifests, the official app's registration, which install). */
  installation: () => Promise<DoctorItem[]>;
}

const realDeps: DoctorDeps = {
  withTransport,
  installation: () =>
    installChecks({ platform: process.platform, home: homedir(), env: process.env, script: process.argv[1] ?? "" }),
};

export async function doctor(
  opts: Options & { read?: string },
  io: Out,
  deps: Partial<DoctorDeps> = {},
): Promise<number> {
  if (opts.read !== undefined) {
    if (opts.report !== undefined) throw new UsageError("doctor: --read and --report do not go together");
    return (await import("./read-report.js")).readReportCommand(opts.read, opts, io);
  }
  const d = { ...realDeps, ...deps };
  const j = judge(opts, io);
  return await d.withTransport(opts, io, async (transport, ctx) => {
    const report = await runDoctor({
      transport,
      reader: ctx.reader,
      virtual: ctx.virtual,
      anchors: ctx.anchors,
      judge: j,
      trace: opts.trace,
      installation: await d.installation(),
    });
    printTrace(report, io);
    if (opts.json) io.stdout(reportJson(report, j.municipality));
    else {
      // The summary a citizen can read out on the phone (doctor --read takes it back).
      const { encodeReadout, readoutFromReport, ReportFileSchema } = await import("@jpki-guard/shared");
      const code = encodeReadout(
        readoutFromReport(ReportFileSchema.parse(JSON.parse(reportJson(report, j.municipality)))),
      );
      io.stdout(`${doctorText(report)}\n\n読み上げコード / read-out code: ${code}\n`);
    }
    if (opts.report) {
      writeReportFile(opts.report, reportJson(report, j.municipality));
      io.stderr(`jpki-guard: redacted report written to ${opts.report}\n`);
    }
    // The verdict's exit code, like check's; the checklist's items are derived from the same findings.
    return EXIT[report.verdict.level];
  });
}
