/** `read-signature`: the signature certificate, with the signature PIN typed at the prompt. */
import { judgeFacts } from "@jpki-guard/shared/rules";
import { readSignatureCertificate } from "../../usecases/read-signature.js";
import type { Options, Out } from "../options.js";
import { readPin } from "../pin-prompt.js";
import { renderCheck } from "../render.js";
import { withTransport } from "../transport.js";
import { exitFor, judge, printTrace } from "./judge.js";

export async function readSignature(opts: Options, io: Out): Promise<number> {
  const j = { ...judge(opts, io), action: "sign" as const };
  return await withTransport(opts, io, async (transport, ctx) => {
    const pin = await readPin(io);
    const r = await readSignatureCertificate({
      transport,
      reader: ctx.reader,
      virtual: ctx.virtual,
      trace: opts.trace,
      extraAnchors: ctx.anchors,
      pin,
      includePersonalData: opts.showPersonalData,
    });
    printTrace(r, io);
    const verdict = judgeFacts(r.facts, j);
    if (opts.json)
      io.stdout(`${JSON.stringify({ facts: r.facts, verdict, personalData: r.personalData ?? undefined }, null, 2)}\n`);
    else {
      io.stdout(`${renderCheck(r.facts, verdict, opts.langs)}\n`);
      if (r.personalData) {
        io.stdout(
          "\n署名用電子証明書の記載事項 / personal data in the signature certificate (shown because you asked):\n",
        );
        for (const [k, v] of Object.entries(r.personalData)) if (v !== null) io.stdout(`  ${k}: ${v}\n`);
      }
    }
    return exitFor(verdict);
  });
}
