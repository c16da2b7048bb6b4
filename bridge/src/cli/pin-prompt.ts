/** The signature PIN from the terminal (not echoed) or one bounded line from a pipe. */

import type { Out } from "./options.js";
import { UsageError } from "./usage.js";

export async function readPin(io: Out): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    // One line from a pipe, bounded.
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const c of stdin) {
        size += (c as Buffer).length;
        chunks.push(c as Buffer);
        if (size > 64) throw new UsageError("the PIN on stdin is longer than any JPKI PIN");
        if ((c as Buffer).includes(0x0a)) break;
      }
      const all = Buffer.concat(chunks);
      const line = all.toString("utf8").split(/\r?\n/)[0] ?? "";
      all.fill(0);
      return line;
    } finally {
      for (const c of chunks) c.fill(0); // the bytes as read are not kept
    }
  }
  io.stderr("署名用の暗証番号 / signature PIN (6-16, 0-9 A-Z): ");
  stdin.setRawMode(true);
  stdin.resume();
  let pin = "";
  try {
    for await (const c of stdin) {
      const text = (c as Buffer).toString("utf8");
      (c as Buffer).fill(0);
      for (const ch of text) {
        if (ch === "\r" || ch === "\n") return pin;
        if (ch === "\u0003") throw new UsageError("cancelled");
        if (ch === "\u007f" || ch === "\b") pin = pin.slice(0, -1);
        else if (pin.length < 32) pin += ch;
      }
    }
    return pin;
  } finally {
    stdin.setRawMode(false);
    stdin.pause();
    io.stderr("\n");
  }
}
