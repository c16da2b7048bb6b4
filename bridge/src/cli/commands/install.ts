/** `install` / `uninstall`: the native-messaging host's manifests for this user or (--system) all users. */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import * as inst from "../../install/install.js";
import { detectBrowsers } from "../../install/sandbox.js";
import { BROWSERS } from "../../install/targets.js";
import type { Options, Out } from "../options.js";
import { UsageError } from "../usage.js";

export async function install(command: "install" | "uninstall", opts: Options, io: Out): Promise<number> {
  const wanted = opts.browsers ?? ["all"];
  const browsers = wanted.includes("all") ? [...BROWSERS] : wanted;
  for (const b of browsers)
    if (!(BROWSERS as readonly string[]).includes(b))
      throw new UsageError(`--browser ${b}: use ${BROWSERS.join(", ")} or all`);
  const plan = inst.defaultPlanOptions({
    browsers: browsers as (typeof BROWSERS)[number][],
    scope: opts.system ? "system" : "user",
    hostScript: join(dirname(process.argv[1] ?? "."), "jpki-guard-host.mjs"),
    extensionIds: opts.extensionIds,
    firefoxIds: opts.firefoxIds,
    chromiumUserDataDir: opts.chromiumUserDataDir,
  });
  try {
    inst.validateIds(plan);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const done = inst.execute(command === "install" ? inst.planInstall(plan) : inst.planUninstall(plan));
  for (const d of done) io.stdout(`${d}\n`);
  if (command === "install") {
    for (const b of detectBrowsers(plan.home, { exists: existsSync }))
      if (b.support !== "works") io.stderr(`jpki-guard: ${b.text.ja}\n            ${b.text.en}\n`);
    io.stdout(`allowed: ${inst.origins(plan).join(", ")}\n`);
  }
  return 0;
}
