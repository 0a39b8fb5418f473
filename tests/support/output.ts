/**
 * What a command run in-process writes to stdout and stderr, captured for each test of the
 * describe block (or file) that calls `captureOutput()`, and released after it. A test may empty
 * `out` or `err` between two commands.
 */
import { afterEach, beforeEach, vi } from "vitest";

export function captureOutput(): { out: string; err: string } {
  const seen = { out: "", err: "" };
  beforeEach(() => {
    seen.out = "";
    seen.err = "";
    vi.spyOn(process.stdout, "write").mockImplementation((s) => {
      seen.out += String(s);
      return true;
    });
    vi.spyOn(process.stderr, "write").mockImplementation((s) => {
      seen.err += String(s);
      return true;
    });
  });
  afterEach(() => vi.restoreAllMocks());
  return seen;
}
