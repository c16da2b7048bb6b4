/**
 * Serve a virtual card through a private pcscd and print every APDU.
 *
 *   pnpm virtual-card PROFILE [-- COMMAND ARGS...]
 *
 * With a command: runs it while the card is in, prints the APDU transcript,
 * exits with the command's code. Without: serves until Ctrl-C.
 */
import { spawn } from "node:child_process";
import { toHex } from "./model.js";
import { buildCard, loadProfile } from "./profiles.js";
import { PcscdRig } from "./rig.js";

const args = process.argv.slice(2);
const dash = args.indexOf("--");
const [profile = "valid"] = dash >= 0 ? args.slice(0, dash) : args;
const command = dash >= 0 ? args.slice(dash + 1) : [];

function mask(c: Uint8Array): string {
  // VERIFY with data: never print the PIN.
  if (c[1] === 0x20 && c.length > 5)
    return `${toHex(c.subarray(0, 5), " ")} ${Array(c.length - 5)
      .fill("**")
      .join(" ")}`;
  return toHex(c, " ");
}

const card = buildCard(await loadProfile(profile));
const rig = await PcscdRig.start({
  card,
  onApdu: (c, r) => process.stderr.write(`>> ${mask(c)}\n<< ${toHex(r, " ")}\n`),
});
process.stderr.write(`virtual card "${profile}" in "${rig.readerName}" (pcscd pid ${rig.pid})\n`);
const stop = async (code: number) => {
  await rig.stop();
  process.exit(code);
};
process.on("SIGINT", () => void stop(130));
process.on("SIGTERM", () => void stop(143));
if (command.length > 0) {
  const child = spawn(command[0]!, command.slice(1), { stdio: "inherit" });
  child.on("exit", (code) => void stop(code ?? 1));
}
