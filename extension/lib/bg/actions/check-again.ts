/**
 * check-again: the user asked, so the card is read now even if nothing
 * changed. With no host running, starting one reads the card (its watch);
 * with one watching, a fresh status reads the PIN counters again.
 */
import { serializeError } from "@jpki-guard/shared";
import type { ActionHandler } from "./context";
import { popupStateOf } from "./popup-state";

export const checkAgain: ActionHandler<"check-again"> = async (bg) => {
  try {
    await bg.demand.during("check-again", async () => {
      if (!bg.live) return await bg.ensureLive();
      await bg.onStatus(await bg.bridge.request("status", { ...bg.params(), action: "login", fresh: true }));
    });
  } catch (e) {
    bg.lastError = serializeError(e);
  }
  return popupStateOf(bg);
};
