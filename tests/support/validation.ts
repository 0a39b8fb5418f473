import { PlatformValidationError } from "@kubeplat/plan";

/** Run `f`, which must throw a PlatformValidationError (a refused arg set), and return it. */
export function caught(f: () => unknown): PlatformValidationError {
  try {
    f();
  } catch (e) {
    if (e instanceof PlatformValidationError) return e;
    throw e;
  }
  throw new Error("expected a PlatformValidationError");
}
