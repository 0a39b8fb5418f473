export * from "./cidr";
export * from "./diagnostic";
export * from "./plan-types";
export * from "./planner";
export * from "./rules/cidr";
export * from "./spec";
