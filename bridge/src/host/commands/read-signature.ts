/**
 * readSignatureCertificate: the user's own signature check, with the PIN
 * (one VERIFY at most; see usecases/read-signature.ts). Personal data never
 * leaves the host: only facts and the verdict for signing.
 */
import { readSignatureCertificate as readSignature } from "../../usecases/read-signature.js";
import type { CommandHandler } from "./context.js";

export const readSignatureCertificate: CommandHandler<"readSignatureCertificate"> = async (ctx, p) => {
  ctx.forgetLastRead(); // the user acted: the next status reads the card again
  const res = await readSignature({ transport: ctx.transport, reader: p.reader, pin: p.pin });
  return ctx.judge(res.facts, "sign", p);
};
