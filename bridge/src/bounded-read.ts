/**
 * Reading a file someone else may have put there (a citizen's report, a
 * browser's native-messaging manifest): at most `max` bytes, opened without
 * blocking (a FIFO with no writer fails at once instead of hanging), and
 * only a regular file. One rule for the CLI's report files and the doctor's
 * look at other programs' manifests.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";

const NONBLOCK = (constants as Record<string, number | undefined>).O_NONBLOCK ?? 0;

/**
 * At most `max` bytes of a regular file (`tooLarge`: it has more; what was
 * read is cut to `max`), or an error code: the open's (ENOENT, EACCES, ...)
 * or "not-a-file".
 */
export function readBounded(path: string, max: number): { bytes: Buffer; tooLarge: boolean } | { error: string } {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | NONBLOCK);
  } catch (e) {
    return { error: (e as NodeJS.ErrnoException).code ?? "error" };
  }
  try {
    if (!fstatSync(fd).isFile()) return { error: "not-a-file" };
    const buf = Buffer.alloc(max + 1);
    let n = 0;
    while (n < buf.length) {
      const r = readSync(fd, buf, n, buf.length - n, null);
      if (r === 0) break;
      n += r;
    }
    return { bytes: buf.subarray(0, Math.min(n, max)), tooLarge: n > max };
  } finally {
    closeSync(fd);
  }
}
