/**
 * fast-check seeds. Locally every run draws new cases (and prints the seed of a failure, to
 * replay with FC_SEED=<seed>). In CI (CI set) the seed is fixed, so a landing never depends on
 * the luck of a draw; FC_SEED overrides it in both places.
 */
import fc from "fast-check";

const seed = process.env.FC_SEED ?? (process.env.CI ? "20261122" : undefined);
if (seed !== undefined) fc.configureGlobal({ seed: Number(seed) });
