export * from "./apdu/apdu.js";
export * from "./jpki/jpki.js";
export * from "./cert/facts.js";
export * from "./check.js";
export * from "./queue.js";
export * from "./transport/types.js";
export { MemoryTransport } from "./transport/memory.js";
export { PcscTransport, mapPcscError } from "./transport/pcsc.js";
