/** jpki-guard guidance validate FILE: checks a contributed municipality file (docs/municipalities.md). */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { formatJstDate, jstDate, validateMunicipalityFile } from "@jpki-guard/shared";
import { EXIT } from "../exit.js";
import type { Options, Out } from "../options.js";

const MAX_BYTES = 256 * 1024;

export function validateGuidance(file: string, opts: Options, io: Out): number {
  const fail = (ja: string, en: string) => {
    io.stderr(`jpki-guard: ${ja}\n            ${en}\n`);
    return EXIT.dataError;
  };
  let text: string;
  try {
    const fd = openSync(file, "r");
    try {
      const st = fstatSync(fd);
      if (!st.isFile()) return fail("通常のファイルではありません。", "not a regular file");
      if (st.size > MAX_BYTES) return fail("ファイルが大きすぎます(256 KiB まで)。", "the file is larger than 256 KiB");
      const buf = Buffer.alloc(st.size);
      readSync(fd, buf, 0, st.size, 0);
      text = buf.toString("utf8");
    } finally {
      closeSync(fd);
    }
  } catch {
    return fail("ファイルを読めませんでした。", "the file could not be read");
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return fail("JSON として読めません。", "not valid JSON");
  }
  const problems = validateMunicipalityFile(data, formatJstDate(jstDate(opts.on)));
  if (opts.json) io.stdout(`${JSON.stringify({ valid: problems.length === 0, problems }, null, 2)}\n`);
  else if (problems.length === 0) io.stdout("問題はありません / valid\n");
  else {
    io.stdout(`${problems.length} 件の問題があります / ${problems.length} problem(s):\n`);
    for (const p of problems) io.stdout(`  ${p.path}: ${p.ja}\n    ${p.en}\n`);
  }
  return problems.length === 0 ? 0 : EXIT.dataError;
}
