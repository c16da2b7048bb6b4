/**
 * The read-out code as a QR code, for a photo sent to a help desk. The
 * symbol comes from the `qrcode` library; this module only paints its
 * modules as pixels (the popup puts them on a canvas, the unit test decodes
 * the same pixels with a second library). Only a read-out code is ever
 * encoded: its content, never a serial, a name or a date. Loaded lazily by
 * the popup (its own chunk), never by the background or a content script.
 */
import { create } from "qrcode";

/** What may be encoded: a read-out code as `encodeReadout` writes it. */
const READOUT_CODE = /^JG(-[2-9A-HJ-NP-Z]{1,4}){6}$/;

export interface QrPixels {
  width: number;
  height: number;
  /** RGBA, black modules on white, as ImageData holds them. */
  data: Uint8ClampedArray<ArrayBuffer>;
}

/**
 * The QR code of a read-out code as pixels: `scale` pixels a module and the
 * standard quiet zone of 4 modules. Error correction M: the code is short
 * (alphanumeric mode, version 2), and a photo of a screen needs some margin.
 */
export function readoutQr(code: string, scale = 6): QrPixels {
  if (!READOUT_CODE.test(code)) throw new Error("not a read-out code");
  const m = create(code, { errorCorrectionLevel: "M" }).modules;
  const quiet = 4;
  const side = (m.size + 2 * quiet) * scale;
  const data = new Uint8ClampedArray(side * side * 4).fill(255);
  for (let r = 0; r < m.size; r++)
    for (let c = 0; c < m.size; c++) {
      if (!m.data[r * m.size + c]) continue;
      for (let y = 0; y < scale; y++)
        for (let x = 0; x < scale; x++) {
          const i = (((r + quiet) * scale + y) * side + (c + quiet) * scale + x) * 4;
          data[i] = data[i + 1] = data[i + 2] = 0;
        }
    }
  return { width: side, height: side, data };
}
