export * from "./errors.js";
export * from "./facts.js";
export * from "./guidance/index.js";
export * from "./messages.js";
export * from "./protocol.js";
export * from "./time.js";
export * from "./verdict.js";
