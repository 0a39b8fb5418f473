/**
 * Helpers for component tests under the mock runtime, shared instead of copied per test file.
 */
import type { MockRuntime, RecordedResource } from "@kubeplat/components/testing";
import { PlatformValidationError } from "@kubeplat/plan";

/**
 * The resources a component instance named `prefix` registered below itself: every one named
 * `<prefix>-...` (children derive their names from the parent's), optionally of one type.
 */
export function mine(rt: MockRuntime, prefix: string, type?: string): RecordedResource[] {
  return rt.resources.filter(
    (r) => r.name.startsWith(`${prefix}-`) && (type === undefined || r.type === type),
  );
}

/**
 * Construct a component inside the runtime; the PlatformValidationError it throws when it refuses
 * its arguments, or undefined when it accepts them. Any other error fails the test.
 */
export async function attempt(
  rt: MockRuntime,
  construct: () => unknown,
): Promise<PlatformValidationError | undefined> {
  let error: PlatformValidationError | undefined;
  await rt.run(async () => {
    try {
      construct();
    } catch (e) {
      if (!(e instanceof PlatformValidationError)) throw e;
      error = e;
    }
    return {};
  });
  return error;
}

/** The component instance named `name` and everything `mine` finds below it. */
export function withSelf(rt: MockRuntime, name: string, type?: string): RecordedResource[] {
  return rt.resources.filter(
    (r) => (r.name === name || r.name.startsWith(`${name}-`)) && (type === undefined || r.type === type),
  );
}
