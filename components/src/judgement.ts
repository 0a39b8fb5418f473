/**
 * A component judges its arguments before it registers anything: mandatory findings throw (with
 * the rule id, the argument path and the values), advisories are logged on the component. A
 * `Platform` judges every child's arguments before it creates the first one (its pre-flight, on
 * the same arguments with placeholder references to siblings) and logs the advisories itself, at
 * the spec paths a user edits. The arguments it then creates a child with are marked judged, and
 * the child does not judge them again: the same advisory logged twice, the second time at an
 * argument path the user never wrote, was noise (and the second judgement a few percent of a large
 * preview). A component created any other way (a program, the component package) judges its own
 * arguments as before; a mark is lost, never forged, when arguments are copied.
 */
import { type Diagnostic, throwIfMandatory } from "@kubeplat/plan";

const judged = new WeakSet<object>();

/** Mark arguments as judged by the Platform that is about to create a child with them. */
export function markJudged<A>(args: A): A {
  if (typeof args === "object" && args !== null) judged.add(args);
  return args;
}

/** Whether the Platform creating this child judged these arguments already. */
export function isJudged(args: unknown): boolean {
  return typeof args === "object" && args !== null && judged.has(args);
}

/**
 * A component's judgement of its arguments: throws the mandatory findings, returns the advisories
 * to log; nothing (and `validate` not run) for arguments the Platform judged.
 */
export function judge(subject: string, args: unknown, validate: () => readonly Diagnostic[]): Diagnostic[] {
  return isJudged(args) ? [] : throwIfMandatory(subject, validate());
}
