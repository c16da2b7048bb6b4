/** portal-status: a portal tab's banner, for what the page is for (login, or signing on e-Tax and e-Gov) and where it is. */
import { portalAction, portalIdOf } from "../../settings";
import type { ActionHandler } from "./context";

export const portalStatus: ActionHandler<"portal-status"> = async (bg, _m, sender) => {
  const action = portalAction(sender.url ?? "", bg.settings.portals) ?? "login";
  const portal = portalIdOf(sender.url ?? "");
  // The router admits this message only from a portal's top frame, which has a tab.
  const tabId = sender.tab?.id;
  if (tabId !== undefined) {
    // A page (re)loaded: what an earlier page of this tab showed of the official app is gone with it.
    bg.forgetPage(tabId);
    bg.tabs.add(tabId, action, portal);
  }
  return bg.banner(action, { tabId: tabId ?? null, portal });
};
