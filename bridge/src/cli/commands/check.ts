/** `check` (and, in development builds, `demo`): read the card without a PIN and print facts + verdict. */
import { judgeFacts } from "@jpki-guard/shared/rules";
import { checkCard } from "../../usecases/check.js";
import type { Options, Out } from "../options.js";
import { renderCheck } from "../render.js";
import { withTransport } from "../transport.js";
import { exitFor, judge, printTrace } from "./judge.js";

export async function check(opts: Options, io: Out, demo = false): Promise<number> {
  // A --municipality that names no single place is refused before the card is touched.
  const j = judge(opts, io);
  let useVirtual = opts.virtual;
  if (demo && !useVirtual) {
    const { PcscTransport } = await import("../../transport/pcsc.js");
    const probe = new PcscTransport();
    const readers = await probe.listReaders().catch(() => []);
    await probe.close();
    if (!readers.some((r) => r.cardPresent)) {
      io.stderr("jpki-guard: no reader with a card here; using the built-in virtual card (profile: valid)\n");
      useVirtual = "valid";
    }
  }
  return await withTransport({ reader: opts.reader, virtual: useVirtual }, io, async (transport, ctx) => {
    const r = await checkCard({
      transport,
      reader: ctx.reader,
      virtual: ctx.virtual,
      trace: opts.trace,
      extraAnchors: ctx.anchors,
    });
    printTrace(r, io);
    const verdict = judgeFacts(r.facts, j);
    if (opts.json) io.stdout(`${JSON.stringify({ facts: r.facts, verdict }, null, 2)}\n`);
    else io.stdout(`${renderCheck(r.facts, verdict, opts.langs)}\n`);
    return exitFor(verdict);
  });
}
