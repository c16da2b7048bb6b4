/** What the check-like commands share: the verdict for the options, the exit code, the trace. */
import {
  type CardFacts,
  DEFAULT_MUNICIPALITY,
  evaluate,
  municipalities,
  municipality,
  type Verdict,
} from "@jpki-guard/shared/rules";
import type { CheckResult } from "../../usecases/check.js";
import { EXIT } from "../exit.js";
import type { Options, Out } from "../options.js";

/** The municipality whose guidance applies; unknown ids fall back to national guidance (with a note). */
export function municipalityId(opts: Options, io: Out): string {
  const id = opts.municipality ?? DEFAULT_MUNICIPALITY;
  if (!municipalities().has(id))
    io.stderr(`jpki-guard: no guidance data for municipality "${id}"; using national guidance\n`);
  return id;
}

export function judge(opts: Options, io: Out) {
  return { on: opts.on, action: opts.action, municipality: municipalityId(opts, io) };
}

export function verdictFor(
  facts: CardFacts,
  j: { on: Date; action: Options["action"]; municipality: string },
): Verdict {
  return evaluate(facts, { now: j.on, action: j.action, municipality: municipality(j.municipality) });
}

export function exitFor(v: Verdict): number {
  return EXIT[v.level];
}

export function printTrace(r: { trace?: CheckResult["trace"] }, io: Out): void {
  if (!r.trace) return;
  for (const t of r.trace) io.stderr(`>> ${t.command}\n<< ${t.response}   (${t.ms.toFixed(1)} ms)\n`);
}
