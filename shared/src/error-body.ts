/**
 * The one serializer of errors: anything thrown -> the answer the host
 * sends, the extension passes on and the CLI prints. Its words are the
 * catalog's fixed sentence for the code: it never quotes input (a reader's
 * name, a command, an exception's own text) and never carries a path or a
 * user name. Only the code, the tries left and which side to update go
 * with it.
 */
import { type AnyErrorCode, ERROR_TABLE, errorRow, isJpkiGuardError } from "./errors.js";
import { type Lang, message, type Params } from "./messages.js";

/** An error as it crosses a boundary (the protocol's ErrorBody has this shape; protocol.ts checks it). */
export interface ErrorAnswer {
  code: AnyErrorCode;
  message: string;
  update?: "extension" | "host";
  triesLeft?: number;
}

/** Something that already carries an answer (the extension's BridgeError carries the host's). */
interface CarriesAnswer {
  body: { code: string; triesLeft?: unknown; update?: unknown };
}

function carriesAnswer(e: unknown): e is CarriesAnswer {
  const b = (e as { body?: unknown } | null)?.body;
  return typeof b === "object" && b !== null && typeof (b as { code?: unknown }).code === "string";
}

const tries = (x: unknown): number | undefined =>
  typeof x === "number" && Number.isInteger(x) && x >= 0 && x <= 15 ? x : undefined;

/** The answer for a code: its fixed sentence, with the tries left and the side to update when known. */
export function errorAnswer(code: AnyErrorCode, o: { triesLeft?: number; update?: "extension" | "host" } = {}) {
  const t = tries(o.triesLeft);
  const params: Params = t === undefined ? {} : { tries: t };
  const answer: ErrorAnswer = { code, message: message("en", ERROR_TABLE[code].message, params) };
  if (o.update) answer.update = o.update;
  if (t !== undefined) answer.triesLeft = t;
  return answer;
}

/** Anything thrown -> its answer; what is not one of ours is "internal", with no word of its own text. */
export function serializeError(e: unknown): ErrorAnswer {
  if (isJpkiGuardError(e)) return errorAnswer(e.code, { triesLeft: tries(e.detail?.triesLeft) });
  if (carriesAnswer(e) && Object.hasOwn(ERROR_TABLE, e.body.code)) {
    const update = e.body.update === "extension" || e.body.update === "host" ? e.body.update : undefined;
    return errorAnswer(e.body.code as AnyErrorCode, { triesLeft: tries(e.body.triesLeft), update });
  }
  return errorAnswer("internal");
}

/** An answer in the citizen's language, from the one catalog (never the answer's own English text). */
export function errorSentence(lang: Lang, a: { code: string; triesLeft?: number }): string {
  return message(lang, errorRow(a.code).message, a.triesLeft !== undefined ? { tries: a.triesLeft } : {});
}
