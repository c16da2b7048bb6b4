export * from "./errors.js";
export * from "./facts.js";
export * from "./guidance/index.js";
export * from "./messages.js";
export * from "./time.js";
export * from "./verdict.js";
