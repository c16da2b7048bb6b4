import { PcscdRig, namedProfile, buildCard } from "../../test/virtual-card/src/index.ts";
import { exec } from "node:child_process";
import { promisify } from "node:util";
const sh = promisify(exec);
const spec = await namedProfile((process.argv[2] as any) ?? "valid");
const card = buildCard(spec);
const t0 = Date.now();
const rig = await PcscdRig.start({ card });
console.log("rig up", rig.pid, Date.now() - t0, "ms");
try {
  const r = await sh(process.argv[3] ?? "opensc-tool -l; opensc-tool -a; OPENSC_DRIVER=jpki pkcs15-tool --list-pins --list-certificates 2>&1");
  console.log(r.stdout, r.stderr);
} catch (e: any) { console.log("FAILED", e.stdout, e.stderr) }
console.log("apdus", card.trace.length);
await rig.stop();
console.log("stopped");
