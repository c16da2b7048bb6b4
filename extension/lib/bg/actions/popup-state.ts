/** popup-state: what the popup shows; the card is asked only when the store has no status yet. */
import type { PopupState } from "../../messages";
import { municipalityFor, preselectFor } from "../../settings";
import type { ActionHandler, BackgroundContext } from "./context";

export const popupState: ActionHandler<"popup-state"> = async (bg) => {
  if (!bg.store.status && bg.bridge.state.kind !== "no-bridge") await bg.statusFor("login");
  return popupStateOf(bg);
};

export function popupStateOf(bg: BackgroundContext): PopupState {
  return {
    bridge: bg.bridge.state,
    status: bg.store.status,
    settings: bg.settings,
    error: bg.lastError,
    // The first-use question: asked until the citizen chooses, never when an administrator preset it.
    municipality: {
      code: municipalityFor(bg.settings, bg.managedMunicipality),
      managed: bg.managedMunicipality !== null,
      preselect: preselectFor(bg.settings),
    },
  };
}
