// @kubeplat/components/testing: Pulumi's mock runtime with the clouds' placeholder answers, for
// tests of programs built from these components and for the offline preview.
export * from "./cloudMocks";
export * from "./mockRuntime";
