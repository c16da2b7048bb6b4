export * from "./apdu/apdu.js";
export * from "./cert/facts.js";
export * from "./check.js";
export { encodeFrame, FrameReader } from "./host/framing.js";
export * from "./jpki/jpki.js";
export * from "./queue.js";
export { mapPcscError, PcscTransport } from "./transport/pcsc.js";
export { loadPcsc } from "./transport/pcsc-ffi.js";
export * from "./transport/types.js";
