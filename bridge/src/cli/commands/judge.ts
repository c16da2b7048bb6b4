/** What the check-like commands share: the verdict for the options, the exit code, the trace. */
import { type Judgement, resolveLocality, type Verdict } from "@jpki-guard/shared/rules";
import type { CheckResult } from "../../usecases/check.js";
import { EXIT } from "../exit.js";
import type { Options, Out } from "../options.js";
import { municipalityProblem } from "./municipality-choice.js";

/**
 * The municipality whose guidance applies, as a local government code; none
 * given: national guidance, naming no city. A name the list holds twice, or
 * one it does not hold, is a usage error listing the candidates: nothing is
 * guessed.
 */
export function municipalityCode(opts: Options): string | null {
  if (opts.municipality === undefined) return null;
  const r = resolveLocality(opts.municipality);
  if (r.kind === "found") return r.place.code;
  throw municipalityProblem(r);
}

export function judge(opts: Options, _io: Out): Judgement {
  return { on: opts.on, action: opts.action, municipality: municipalityCode(opts) };
}

export function exitFor(v: Verdict): number {
  return EXIT[v.level];
}

export function printTrace(r: { trace?: CheckResult["trace"] }, io: Out): void {
  if (!r.trace) return;
  for (const t of r.trace) io.stderr(`>> ${t.command}\n<< ${t.response}   (${t.ms.toFixed(1)} ms)\n`);
}
