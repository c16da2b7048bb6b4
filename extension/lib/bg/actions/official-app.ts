/**
 * official-app: what a Mynaportal page showed of the official extension and
 * app (two booleans, validated by the message table), once the page settled.
 * Kept for that tab until it loads again or closes; the answer is the tab's
 * new banner. From any other portal it is ignored (only Mynaportal's
 * contract is known), and so is a tab that never asked for its banner.
 */
import { portalAction, portalIdOf } from "../../settings";
import type { ActionHandler } from "./context";

export const officialApp: ActionHandler<"official-app"> = async (bg, m, sender) => {
  const action = portalAction(sender.url ?? "", bg.settings.portals) ?? "login";
  const portal = portalIdOf(sender.url ?? "");
  const tabId = sender.tab?.id ?? null;
  if (portal === "mynaportal" && tabId !== null) bg.seeOfficialApp(tabId, { extension: m.extension, app: m.app });
  return bg.banner(action, { tabId, portal });
};
