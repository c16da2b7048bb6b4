/**
 * Diagnostics for stderr (the browser's log, the terminal): an unexpected
 * error's stack, with the home folder and the user name taken out, so a
 * pasted log never names the person.
 */
import { homedir, userInfo } from "node:os";

export function forLog(e: unknown): string {
  let text = (e as Error)?.stack ?? String(e);
  const home = homedir();
  if (home && home !== "/") text = text.replaceAll(home, "~");
  try {
    const name = userInfo().username;
    if (name.length >= 3) text = text.replaceAll(name, "<user>");
  } catch {
    // no user entry (some containers): nothing to take out
  }
  return text.slice(0, 4000);
}
