/**
 * Text that may name the person, made safe to show: the home folder and the
 * user name taken out. One rule for stderr diagnostics (`forLog`: the
 * browser's log, the terminal) and for the help-desk report (`scrub`,
 * through usecases/report.ts).
 */
import { homedir, userInfo } from "node:os";

/** The login name, or "" where the system has no user entry (some containers). */
export function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return "";
  }
}

/** `text` with the home folder as "~" and the user name (3 characters or more) as "<user>". */
export function scrub(text: string, home = homedir(), user = currentUser()): string {
  let t = text;
  if (home && home !== "/" && home.length > 1) t = t.replaceAll(home, "~");
  if (user && user.length >= 3) t = t.replaceAll(user, "<user>");
  return t;
}

/** An unexpected error's stack for stderr, scrubbed and bounded. */
export function forLog(e: unknown): string {
  return scrub((e as Error)?.stack ?? String(e)).slice(0, 4000);
}
