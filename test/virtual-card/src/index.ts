export * from "./model.js";
export * from "./certs.js";
export * from "./profiles.js";
export * from "./vpcd.js";
export * from "./rig.js";
