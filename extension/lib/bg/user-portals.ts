/**
 * Portals the user added: the content script is registered for those whose
 * host permission the user granted (optional host permissions), and for no
 * other. The browser's scripting and permissions APIs are passed in.
 */
import { PORTAL_SCRIPT } from "../portals";

export interface UserPortalsApi {
  unregister(ids: string[]): Promise<void>;
  grantedOrigins(): Promise<string[]>;
  register(script: {
    id: string;
    matches: string[];
    js: string[];
    runAt: "document_idle";
    allFrames: false;
  }): Promise<void>;
}

export const USER_PORTALS_SCRIPT = "user-portals";

/** Register the portal content script for the granted ones of these patterns; returns the patterns registered. */
export async function registerUserPortals(api: UserPortalsApi, portals: string[]): Promise<string[]> {
  await api.unregister([USER_PORTALS_SCRIPT]).catch(() => undefined);
  const granted = await api.grantedOrigins();
  const allowed = portals.filter((p) => granted.includes(p));
  if (allowed.length === 0) return [];
  await api.register({
    id: USER_PORTALS_SCRIPT,
    matches: allowed,
    js: [PORTAL_SCRIPT],
    runAt: "document_idle",
    allFrames: false,
  });
  return allowed;
}
