export * from "./errors.js";
export * from "./facts.js";
