/** `doctor`: the help desk's checklist, optionally written as a redacted report. */
import { closeSync, constants, fchmodSync, lstatSync, openSync, writeSync } from "node:fs";
import { homedir } from "node:os";
import { doctorText } from "@jpki-guard/shared/rules";
import { installChecks } from "../../install/checks.js";
import { type DoctorReport, runDoctor } from "../../usecases/doctor.js";
import { EXIT } from "../exit.js";
import type { Options, Out } from "../options.js";
import { withTransport } from "../transport.js";
import { UsageError } from "../usage.js";

/**
 * Write the report for the user alone (0600, also when the file existed) and
 * never through a symbolic link (one planted where the user writes it could
 * point anywhere the user may write).
 */
export function writeReportFile(path: string, content: string): void {
  const nofollow = (constants as { O_NOFOLLOW?: number }).O_NOFOLLOW;
  const link = (() => {
    try {
      return lstatSync(path).isSymbolicLink();
    } catch {
      return false;
    }
  })();
  if (link) throw new UsageError(`--report ${path}: is a symbolic link; give a plain file name`);
  let fd: number;
  try {
    fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | (nofollow ?? 0), 0o600);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(
      code === "ELOOP"
        ? `--report ${path}: is a symbolic link; give a plain file name`
        : `--report ${path}: cannot be written (${code ?? "error"})`,
    );
  }
  try {
    if (process.platform !== "win32") fchmodSync(fd, 0o600);
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
}

import { judge, printTrace } from "./judge.js";

/** The report as `--json` and `--report` write it: the checklist, facts, verdict codes and the text; no trace. */
export function reportJson(r: DoctorReport): string {
  const { level, readiness, findings } = r.verdict;
  const out = {
    tool: r.tool,
    version: r.version,
    node: r.node,
    platform: r.platform,
    items: r.items,
    facts: r.facts,
    verdict: { level, readiness, findings },
    text: doctorText(r),
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}

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
      installation: await installChecks({
        platform: process.platform,
        home: homedir(),
        env: process.env,
        script: process.argv[1] ?? "",
      }),
    });
    printTrace(report, io);
    if (opts.json) io.stdout(reportJson(report));
    else io.stdout(`${doctorText(report)}\n`);
    if (opts.report) {
      writeReportFile(opts.report, reportJson(report));
      io.stderr(`jpki-guard: redacted report written to ${opts.report}\n`);
    }
    // The verdict's exit code, like check's; the checklist's items are derived from the same findings.
    return EXIT[report.verdict.level];
  });
}
