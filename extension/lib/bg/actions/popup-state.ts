/**
 * popup-state: what the popup shows. With no host watching, the last known
 * state at once, marked not live with its time (the popup's port has
 * started a host: its first status is pushed to the popup). The host is
 * waited for only when nothing is known yet, or when the verdict was judged
 * on an earlier day while a host watches (it judges its last read again: no
 * card read).
 */
import { judgedBeforeToday } from "../../clock";
import type { PopupState } from "../../messages";
import { municipalityFor, preselectFor } from "../../settings";
import type { ActionHandler, BackgroundContext } from "./context";

export const popupState: ActionHandler<"popup-state"> = async (bg) => {
  // The municipality as an administrator's policy sets it, before the host is asked for it.
  await bg.settled();
  const s = bg.store.status;
  const wait = !s || (bg.live && judgedBeforeToday(s, bg.now()));
  await Promise.all([
    wait && bg.bridge.state.kind !== "no-bridge" ? bg.statusFor("login") : null,
    bg.refreshEnvironment(),
  ]);
  return popupStateOf(bg);
};

export function popupStateOf(bg: BackgroundContext): PopupState {
  const page = bg.pageForPopup();
  return {
    bridge: bg.bridge.state,
    status: bg.store.status,
    settings: bg.settings,
    error: bg.lastError,
    live: bg.live,
    asOf: bg.asOf?.toISOString() ?? null,
    page,
    checklist: bg.checklistForPopup(page),
    // The first-use question: asked until the citizen chooses, never when an administrator preset it.
    municipality: {
      code: municipalityFor(bg.settings, bg.managedMunicipality),
      managed: bg.managedMunicipality !== null,
      preselect: preselectFor(bg.settings),
    },
  };
}
