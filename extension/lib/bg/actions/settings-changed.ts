/** settings-changed: read the settings again; the verdicts depend on them, so the card's status is asked anew. */
import type { ActionHandler } from "./context";

export const settingsChanged: ActionHandler<"settings-changed"> = async (bg) => {
  await bg.reloadSettings();
  await bg.settled();
  await bg.registerUserPortals();
  bg.store.clear();
  await bg.statusFor("login").catch(() => null);
  return { ok: true };
};
