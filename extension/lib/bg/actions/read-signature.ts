/**
 * read-signature: the user's own signature check, through the gate (one
 * VERIFY at most). A success read the whole card just now (both PIN
 * counters, the authentication certificate): it is kept as the signature
 * check and, judged for login, as the latest status, with no second read.
 * After a failure the counters are read again only when the card was (or
 * may have been) reached, and not when it was busy (another check holds it).
 */
import { aimVerdict, errorRow } from "@jpki-guard/shared";
import type { ActionHandler } from "./context";

export const readSignature: ActionHandler<"read-signature"> = async (bg, m) => {
  const r = await bg.demand.during("read-signature", () => bg.gate.submit(m.pin));
  if (r.ok) {
    bg.store.recordSignature(r.status);
    await bg.onStatus({ ...r.status, verdict: aimVerdict(r.status.verdict, "login") });
  } else if (errorRow(r.error.code).touchesCard && r.error.code !== "card-busy") {
    void bg.demand
      .during("read-signature", () => bg.bridge.request("status", { ...bg.params(), action: "login" }))
      .then((s) => bg.onStatus(s))
      .catch(() => undefined);
  }
  return r;
};
