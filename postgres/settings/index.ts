export * from "./catalog";
export * from "./rdsRestrictions";
export * from "./render";
export * from "./sizing";
export * from "./standby";
