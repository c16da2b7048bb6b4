/** diagnose: the help-desk report from the host (and what the extension saw of the page), or the error that stopped it. */
import { serializeError } from "@jpki-guard/shared";
import type { ActionHandler } from "./context";

export const diagnose: ActionHandler<"diagnose"> = async (bg) => {
  try {
    const report = await bg.demand.during("diagnose", () => bg.bridge.request("diagnose", bg.params()));
    // The page's findings for the saved report: judged now, with the environment probed again.
    await bg.refreshEnvironment();
    return { ok: true, report, page: bg.pageForReport() };
  } catch (e) {
    return { ok: false, error: serializeError(e) };
  }
};
