import { buildCard, namedProfile, PcscdRig } from "../../test/virtual-card/src/index.ts";
import { PcscTransport, checkCard } from "../../bridge/src/index.ts";
const rig = await PcscdRig.start({ card: buildCard(await namedProfile("removed-mid-read")) });
const t = new PcscTransport();
console.log(JSON.stringify(await t.listReaders()));
const conn = await t.connect(rig.readerName);
for (let i = 0; i < 7; i++) {
  try { const r = await conn.transmit(Uint8Array.from([0, 0xb0, 0x8a, 0, 0])); console.log(i, r.length); }
  catch (e) { console.log(i, "ERR", (e as any).code, (e as any).message); }
}
await conn.close();
await t.close();
await rig.stop();
