export * from "./cidr";
export * from "./diagnostic";
export * from "./spec";
export * from "./plan-types";
export * from "./rules/cidr";
