/**
 * The OS's own PC/SC library through koffi (FFI; no native build step). Every
 * call that can wait on the PC/SC service or the card runs as a koffi async
 * call on a worker thread, so the event loop never blocks; only SCardCancel
 * (which must interrupt a waiting call) is synchronous. Return codes stay
 * numbers end to end. The ABI per OS comes from pcsc-abi.ts; the interface
 * it implements (the seam unit tests fake) from pcsc-api.ts.
 */
import { createRequire } from "node:module";
import { abiFor, parseMultiString, SCARD, SCARD_SCOPE_SYSTEM } from "./pcsc-abi.js";
import { type Handle, type PcscApi, PcscCallError, PcscLibraryError } from "./pcsc-api.js";

type Koffi = typeof import("koffi");
type Fn = ((...args: unknown[]) => unknown) & { async: (...args: unknown[]) => void };

/** Return codes: Windows' LONG is negative 32-bit, pcsc-lite's long positive 64-bit. */
export function normaliseRv(rv: unknown): number {
  return Number(BigInt.asUintN(32, BigInt(rv as number | bigint))) >>> 0;
}

let koffiLib: Koffi | null = null;
function koffi(): Koffi {
  if (!koffiLib) {
    const require = createRequire(import.meta.url);
    // A release carries koffi's prebuilt binary for its OS in the app's own
    // node_modules: load it straight. koffi's JavaScript loader finds the same
    // file, but probes paths and loads more of Node first (17 ms of a cold
    // check against 5 ms; measured with the release's Node 22).
    const triplet = `${process.platform}_${process.arch}`;
    try {
      koffiLib = require(`@koromix/koffi-${process.platform}-${process.arch}/${triplet}/koffi.node`) as Koffi;
    } catch {
      koffiLib = null; // laid out differently (a development checkout): koffi's own loader
    }
    if (!koffiLib) {
      try {
        koffiLib = require("koffi") as Koffi;
      } catch (e) {
        throw new PcscLibraryError(`the FFI module (koffi) could not be loaded: ${(e as Error).message}`);
      }
    }
  }
  return koffiLib;
}

function promisify<T>(fn: Fn, args: unknown[]): Promise<T> {
  return new Promise((resolve, reject) => {
    fn.async(...args, (err: unknown, res: T) => (err ? reject(err) : resolve(res)));
  });
}

let loaded: PcscApi | null = null;

/** Load the OS's PC/SC library (once per process). Throws PcscLibraryError when it is missing. */
export function loadPcsc(platform: NodeJS.Platform = process.platform): PcscApi {
  if (loaded) return loaded;
  const abi = abiFor(platform);
  const k = koffi();
  let lib: ReturnType<Koffi["load"]> | null = null;
  let lastError = "";
  for (const path of abi.library) {
    try {
      lib = k.load(path);
      break;
    } catch (e) {
      lastError = (e as Error).message;
    }
  }
  if (!lib)
    throw new PcscLibraryError(`the PC/SC library (${abi.library.join(" or ")}) could not be loaded: ${lastError}`);
  const { dword: D, long: L, handle: H } = abi;
  const id = `${abi.os}_${Math.random().toString(36).slice(2, 8)}`; // koffi type names are global
  const atrArray = k.array("uint8_t", abi.readerState.maxAtr, "Typed");
  const members = {
    szReader: "const char *",
    pvUserData: "void *",
    dwCurrentState: D,
    dwEventState: D,
    cbAtr: D,
    rgbAtr: atrArray,
  };
  const RS = abi.readerState.packed ? k.pack(`RS_${id}`, members) : k.struct(`RS_${id}`, members);
  const IO = abi.readerState.packed
    ? k.pack(`IO_${id}`, { dwProtocol: D, cbPciLength: D })
    : k.struct(`IO_${id}`, { dwProtocol: D, cbPciLength: D });
  // The layout koffi computes must be the documented one (pcsc-abi.test.ts checks every offset).
  if (k.sizeof(RS) !== abi.readerState.size || k.sizeof(IO) !== abi.ioRequestSize)
    throw new PcscLibraryError(`unexpected PC/SC structure layout on ${abi.os}`);
  const f = (proto: string) => lib!.func(proto) as unknown as Fn;
  const n = abi.names;
  const fns = {
    establish: f(`${L} SCardEstablishContext(${D} dwScope, void *r1, void *r2, _Out_ ${H} *phContext)`),
    release: f(`${L} SCardReleaseContext(${H} hContext)`),
    cancel: f(`${L} SCardCancel(${H} hContext)`),
    listReaders: f(`${L} ${n.listReaders}(${H} hContext, const char *groups, uint8_t *readers, _Inout_ ${D} *len)`),
    getStatusChange: f(`${L} ${n.getStatusChange}(${H} hContext, ${D} timeout, _Inout_ RS_${id} *states, ${D} count)`),
    connect: f(
      `${L} ${n.connect}(${H} hContext, const char *reader, ${D} share, ${D} protocols, _Out_ ${H} *card, _Out_ ${D} *protocol)`,
    ),
    reconnect: f(`${L} SCardReconnect(${H} card, ${D} share, ${D} protocols, ${D} init, _Out_ ${D} *protocol)`),
    disconnect: f(`${L} SCardDisconnect(${H} card, ${D} disposition)`),
    begin: f(`${L} SCardBeginTransaction(${H} card)`),
    end: f(`${L} SCardEndTransaction(${H} card, ${D} disposition)`),
    // The PCI and the length are passed as buffers we lay out ourselves (no marshalling per APDU).
    transmit: f(
      `${L} SCardTransmit(${H} card, const uint8_t *sendPci, const uint8_t *send, ${D} sendLen, void *recvPci, uint8_t *recv, uint8_t *recvLen)`,
    ),
    status: f(
      `${L} ${n.status}(${H} card, uint8_t *names, _Inout_ ${D} *namesLen, _Out_ ${D} *state, _Out_ ${D} *protocol, uint8_t *atr, _Inout_ ${D} *atrLen)`,
    ),
  };

  const call = async (fn: Fn, args: unknown[]): Promise<number> => normaliseRv(await promisify<unknown>(fn, args));
  // SCARD_IO_REQUEST {dwProtocol, cbPciLength} and DWORDs, laid out per the ABI table.
  const dwordBuffer = (v: number) => {
    const b = Buffer.alloc(abi.dwordSize);
    if (abi.dwordSize === 8) b.writeBigUInt64LE(BigInt(v));
    else b.writeUInt32LE(v);
    return b;
  };
  const readDword = (b: Buffer) => (abi.dwordSize === 8 ? Number(b.readBigUInt64LE()) : b.readUInt32LE());
  const pcis = new Map<number, Buffer>();
  const pciFor = (protocol: number) => {
    let b = pcis.get(protocol);
    if (!b) {
      b = Buffer.concat([dwordBuffer(protocol), dwordBuffer(abi.ioRequestSize)]);
      pcis.set(protocol, b);
    }
    return b;
  };
  const num = (v: unknown) => Number(v);

  const api: PcscApi = {
    abi,
    async establish() {
      const out: Handle[] = [0];
      const rv = await call(fns.establish, [SCARD_SCOPE_SYSTEM, null, null, out]);
      if (rv !== SCARD.S_SUCCESS) throw new PcscCallError("SCardEstablishContext", rv);
      return out[0]!;
    },
    release: (ctx) => call(fns.release, [ctx]),
    cancel: (ctx) => normaliseRv(fns.cancel(ctx)),
    async listReaders(ctx) {
      // One call with room for any ordinary list; asked for the size only when it does not fit.
      let size = 4096;
      for (let attempt = 0; attempt < 3; attempt++) {
        const buf = Buffer.alloc(size);
        const len: number[] = [buf.length];
        const rv = await call(fns.listReaders, [ctx, null, buf, len]);
        if (rv === SCARD.E_NO_READERS_AVAILABLE) return [];
        if (rv === SCARD.E_INSUFFICIENT_BUFFER) {
          const need: number[] = [0];
          const r2 = await call(fns.listReaders, [ctx, null, null, need]);
          if (r2 === SCARD.E_NO_READERS_AVAILABLE) return [];
          if (r2 !== SCARD.S_SUCCESS) throw new PcscCallError("SCardListReaders", r2);
          size = Math.min(Math.max(num(need[0]), 2), 65536);
          continue;
        }
        if (rv !== SCARD.S_SUCCESS) throw new PcscCallError("SCardListReaders", rv);
        return parseMultiString(buf, num(len[0]));
      }
      throw new PcscCallError("SCardListReaders", SCARD.E_INSUFFICIENT_BUFFER);
    },
    async getStatusChange(ctx, timeoutMs, states) {
      const arr = states.map((s) => ({
        szReader: s.reader,
        pvUserData: null,
        dwCurrentState: s.currentState,
        dwEventState: 0,
        cbAtr: 0,
        rgbAtr: new Uint8Array(abi.readerState.maxAtr),
      }));
      const rv = await call(fns.getStatusChange, [ctx, timeoutMs >>> 0, arr, arr.length]);
      return {
        rv,
        states: arr.map((s, i) => {
          const cb = Math.min(num(s.cbAtr), abi.readerState.maxAtr);
          return {
            reader: states[i]!.reader,
            eventState: num(s.dwEventState) >>> 0,
            atr: Uint8Array.from((s.rgbAtr as Uint8Array).subarray(0, cb)),
          };
        }),
      };
    },
    async connect(ctx, reader, share, protocols) {
      const card: Handle[] = [0];
      const proto: number[] = [0];
      const rv = await call(fns.connect, [ctx, reader, share, protocols, card, proto]);
      if (rv !== SCARD.S_SUCCESS) throw new PcscCallError("SCardConnect", rv);
      return { card: card[0]!, protocol: num(proto[0]) };
    },
    disconnect: (card, disposition) => call(fns.disconnect, [card, disposition]),
    async reconnect(card, share, protocols, init) {
      const proto: number[] = [0];
      const rv = await call(fns.reconnect, [card, share, protocols, init, proto]);
      return { rv, protocol: num(proto[0]) };
    },
    beginTransaction: (card) => call(fns.begin, [card]),
    endTransaction: (card, disposition) => call(fns.end, [card, disposition]),
    async transmit(card, protocol, command, maxResponse) {
      const recv = Buffer.alloc(maxResponse);
      const recvLen = dwordBuffer(maxResponse);
      const rv = await call(fns.transmit, [card, pciFor(protocol), command, command.length, null, recv, recvLen]);
      const n = Math.min(readDword(recvLen), maxResponse);
      return { rv, data: rv === SCARD.S_SUCCESS ? Uint8Array.from(recv.subarray(0, n)) : new Uint8Array(0) };
    },
    async status(card) {
      const namesLen: number[] = [0];
      const state: number[] = [0];
      const proto: number[] = [0];
      const atr = Buffer.alloc(abi.readerState.maxAtr);
      const atrLen: number[] = [atr.length];
      // names = NULL with length 0: pcsc-lite and Windows only report the needed size.
      const rv = await call(fns.status, [card, null, namesLen, state, proto, atr, atrLen]);
      return {
        rv,
        state: num(state[0]) >>> 0,
        protocol: num(proto[0]),
        atr: Uint8Array.from(atr.subarray(0, Math.min(num(atrLen[0]), atr.length))),
      };
    },
  };
  loaded = api;
  return api;
}
