export * from "./certs.js";
export * from "./model.js";
export * from "./profiles.js";
export * from "./rig.js";
export * from "./vpcd.js";
