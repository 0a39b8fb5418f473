export * as plan from "./plan";
export * from "./plan";
