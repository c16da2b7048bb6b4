/** `doctor`: the help desk's checklist, optionally written as a redacted report. */
import { closeSync, constants, fchmodSync, lstatSync, openSync, writeSync } from "node:fs";
import { runDoctor } from "../../usecases/doctor.js";
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
      writeReportFile(opts.report, `${JSON.stringify(redacted, null, 2)}\n`);
      io.stderr(`jpki-guard: redacted report written to ${opts.report}\n`);
    }
    return report.items.every((i) => i.ok) ? 0 : 1;
  });
}
