/**
 * Helpers for component tests under the mock runtime, shared instead of copied per test file.
 */
import { Platform } from "@kubeplat/components";
import {
  type MockRuntime,
  offlineCall,
  offlineState,
  type RecordedResource,
  startMockRuntime,
} from "@kubeplat/components/testing";
import { PlatformValidationError } from "@kubeplat/plan";

/**
 * The mock runtime with the offline preview's answers (`offlineState`, `offlineCall`): project
 * "platform", stack "dev", a preview, unless told otherwise.
 */
export function offlineRuntime(
  options: { project?: string; stack?: string; preview?: boolean } = {},
): Promise<MockRuntime> {
  return startMockRuntime({
    project: options.project ?? "platform",
    stack: options.stack ?? "dev",
    preview: options.preview ?? true,
    state: offlineState,
    call: offlineCall,
  });
}

/**
 * Build a `Platform` named `name` of the environment spec `environment` in `rt`, the warnings it
 * logs kept off the test's output. Throws what the Platform throws.
 */
export async function buildPlatform(rt: MockRuntime, name: string, environment: unknown): Promise<void> {
  const warn = console.warn;
  console.warn = () => {};
  try {
    await rt.run(() => {
      new Platform(name, {
        environment: environment as ConstructorParameters<typeof Platform>[1]["environment"],
      });
      return {};
    });
  } finally {
    console.warn = warn;
  }
}

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
