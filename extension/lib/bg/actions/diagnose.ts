/** diagnose: the help-desk report from the host, or the error that stopped it. */
import { serializeError } from "@jpki-guard/shared";
import type { ActionHandler } from "./context";

export const diagnose: ActionHandler<"diagnose"> = async (bg) => {
  try {
    return { ok: true, report: await bg.demand.during("diagnose", () => bg.bridge.request("diagnose", bg.params())) };
  } catch (e) {
    return { ok: false, error: serializeError(e) };
  }
};
