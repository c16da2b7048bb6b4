import { exec } from "node:child_process";
import { promisify } from "node:util";
import { buildCard, type CardModel, namedProfile, PcscdRig, type ProfileName } from "@jpki-guard/virtual-card";

export const sh = promisify(exec);

export async function card(profile: ProfileName): Promise<CardModel> {
  return buildCard(await namedProfile(profile));
}

/** Start the private pcscd with a card; the caller stops it. */
export async function startRig(profile: ProfileName | null): Promise<PcscdRig> {
  return PcscdRig.start({ card: profile ? await card(profile) : null });
}
