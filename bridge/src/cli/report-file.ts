/**
 * The report file on disk: written for the user alone (`doctor --report`)
 * and read with a size cap (`doctor --read`).
 *
 * Writing never truncates a file it then refuses and never waits on a FIFO:
 * the file is opened without O_TRUNC, without following a symbolic link and
 * without blocking (O_NONBLOCK: a FIFO with no reader fails at once with
 * ENXIO instead of hanging), then checked through its descriptor (a regular
 * file owned by this user), and only then truncated and written, 0600.
 */
import { closeSync, constants, fchmodSync, fstatSync, ftruncateSync, lstatSync, openSync, writeSync } from "node:fs";
import { readBounded } from "../bounded-read.js";
import { UsageError } from "./usage.js";

const flag = (name: "O_NOFOLLOW" | "O_NONBLOCK"): number =>
  (constants as Record<string, number | undefined>)[name] ?? 0;

/**
 * Write `content` to `path` for the user alone. `owner` is the uid the file
 * must belong to (default: this process's; a test passes another to play a
 * file that belongs to someone else).
 */
export function writeReportFile(
  path: string,
  content: string,
  owner: number | null = process.getuid?.() ?? null,
): void {
  const refuse = (why: string): never => {
    throw new UsageError(`--report ${path}: ${why}`);
  };
  const link = (() => {
    try {
      return lstatSync(path).isSymbolicLink();
    } catch {
      return false;
    }
  })();
  if (link) refuse("is a symbolic link; give a plain file name");
  let fd: number;
  try {
    fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | flag("O_NOFOLLOW") | flag("O_NONBLOCK"), 0o600);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(
      `--report ${path}: ${
        code === "ELOOP"
          ? "is a symbolic link; give a plain file name"
          : code === "ENXIO"
            ? "is not a regular file (a pipe or device); give a plain file name"
            : `cannot be written (${code ?? "error"})`
      }`,
    );
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) refuse("is not a regular file (a pipe or device); give a plain file name");
    if (owner !== null && process.platform !== "win32" && st.uid !== owner)
      refuse("belongs to another user; give a file of your own");
    ftruncateSync(fd, 0);
    if (process.platform !== "win32") fchmodSync(fd, 0o600);
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
}

import { MAX_REPORT_FILE_BYTES as MAX_REPORT_BYTES } from "@jpki-guard/shared/rules";

/**
 * Read at most MAX_REPORT_BYTES of a file, without blocking on a FIFO; an
 * error for a file that is not a regular file. `tooLarge`: the file has
 * more (what was read is cut to the cap).
 */
export function readReportFile(path: string): { bytes: Buffer; tooLarge: boolean } | { error: string } {
  return readBounded(path, MAX_REPORT_BYTES);
}
