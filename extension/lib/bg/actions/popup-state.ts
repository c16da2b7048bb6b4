/**
 * popup-state: what the popup shows; the host is asked only when the store
 * has no status yet, or its verdict was judged on an earlier day (then the
 * host judges its last read again: no card read).
 */
import { judgedBeforeToday } from "../../clock";
import type { PopupState } from "../../messages";
import { municipalityFor, preselectFor } from "../../settings";
import type { ActionHandler, BackgroundContext } from "./context";

export const popupState: ActionHandler<"popup-state"> = async (bg) => {
  const s = bg.store.status;
  if ((!s || judgedBeforeToday(s, bg.now())) && bg.bridge.state.kind !== "no-bridge") await bg.statusFor("login");
  return popupStateOf(bg);
};

export function popupStateOf(bg: BackgroundContext): PopupState {
  return {
    bridge: bg.bridge.state,
    status: bg.store.status,
    settings: bg.settings,
    error: bg.lastError,
    live: bg.live,
    asOf: bg.asOf?.toISOString() ?? null,
    // The first-use question: asked until the citizen chooses, never when an administrator preset it.
    municipality: {
      code: municipalityFor(bg.settings, bg.managedMunicipality),
      managed: bg.managedMunicipality !== null,
      preselect: preselectFor(bg.settings),
    },
  };
}
