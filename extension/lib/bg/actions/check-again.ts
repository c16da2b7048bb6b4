/** check-again: the user asked, so the host reads the card even if nothing changed. */
import { serializeError } from "@jpki-guard/shared";
import type { ActionHandler } from "./context";
import { popupStateOf } from "./popup-state";

export const checkAgain: ActionHandler<"check-again"> = async (bg) => {
  try {
    await bg.onStatus(await bg.bridge.request("status", { ...bg.params(), action: "login", fresh: true }));
  } catch (e) {
    bg.lastError = serializeError(e);
  }
  return popupStateOf(bg);
};
