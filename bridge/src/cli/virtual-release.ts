/**
 * The release build's stand-in for virtual.ts: the virtual card, its test CA
 * and profiles are development tools and are not shipped.
 */

import { UsageError } from "./usage.js";
import type { VirtualCard } from "./virtual.js";

export const DEVELOPMENT = false;

export async function startVirtualCard(_profile: string): Promise<VirtualCard> {
  throw new UsageError("the built-in virtual card is a development tool; it is not part of this installation");
}

export async function profileList(): Promise<Array<[string, string]>> {
  throw new UsageError("the virtual card profiles are a development tool; they are not part of this installation");
}
