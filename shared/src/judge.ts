/**
 * The one wrapper over `evaluate` that the host, the CLI and the doctor use:
 * a request names the moment, the action and a municipality (a local
 * government code or an older id; none: national guidance, naming no city).
 */
import type { CardFacts } from "./facts.js";
import { locality } from "./guidance/index.js";
import { type Action, evaluate } from "./verdict.js";
import type { Verdict } from "./verdict-schema.js";

export interface Judgement {
  on: Date;
  action: Action;
  municipality: string | null;
}

export function judgeFacts(facts: CardFacts, j: Judgement): Verdict {
  return evaluate(facts, { now: j.on, action: j.action, locality: locality(j.municipality) });
}
