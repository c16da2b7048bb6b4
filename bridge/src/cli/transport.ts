/** A transport for a real reader, or (development builds) the built-in virtual card behind a private pcscd. */
import type { Anchor } from "../cert/facts.js";
import type { Transport } from "../transport/types.js";
import type { Out } from "./options.js";
import { startVirtualCard } from "./virtual.js";

export interface TransportContext {
  reader?: string;
  virtual: boolean;
  anchors: Anchor[];
}

export async function withTransport<T>(
  opts: { reader?: string; virtual?: string },
  io: Out,
  fn: (t: Transport, ctx: TransportContext) => Promise<T>,
): Promise<T> {
  const { PcscTransport } = await import("../transport/pcsc.js");
  if (!opts.virtual) {
    const t = new PcscTransport();
    try {
      return await fn(t, { reader: opts.reader, virtual: false, anchors: [] });
    } finally {
      await t.close();
    }
  }
  const card = await startVirtualCard(opts.virtual);
  io.stderr(
    `jpki-guard: built-in virtual card "${opts.virtual}" is in "${card.readerName}" (private pcscd, pid ${card.pid})\n`,
  );
  const t = new PcscTransport();
  try {
    return await fn(t, { reader: card.readerName, virtual: true, anchors: card.anchors });
  } finally {
    await t.close();
    await card.stop();
  }
}
