/**
 * smol-toml for this CommonJS package. smol-toml is an ES module whose package also ships a
 * CommonJS build (`exports.require` → dist/index.cjs); TypeScript's node16 mode only sees its ESM
 * types and refuses a static import from CommonJS (TS1479), so the module is required here once,
 * typed by a type-only import.
 */
import type * as SmolToml from "smol-toml";

const toml: typeof SmolToml = require("smol-toml");

export const stringifyToml: typeof SmolToml.stringify = toml.stringify;
export const parseToml: typeof SmolToml.parse = toml.parse;
