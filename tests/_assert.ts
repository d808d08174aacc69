/**
 * The few assertions the tests need (Deno's std is not reachable from here).
 * @module
 */
import { isDeepStrictEqual } from "node:util";

/** An assertion failure. */
export class AssertionError extends Error {
  override name = "AssertionError";
}

/** Fails unless `actual` deep-equals `expected`. */
export function assertEquals<T>(actual: T, expected: T, msg?: string): void {
  if (!isDeepStrictEqual(actual, expected)) {
    throw new AssertionError(
      `${msg ? msg + ": " : ""}expected ${show(expected)}, got ${show(actual)}`,
    );
  }
}

/** Fails unless `cond` is truthy. */
export function assert(cond: unknown, msg = "assertion failed"): asserts cond {
  if (!cond) throw new AssertionError(msg);
}

/** Fails unless `|actual - expected| <= tol` (absolute) or within `rel` relative. */
export function assertClose(actual: number, expected: number, tol = 1e-6, msg?: string): void {
  if (!(Math.abs(actual - expected) <= tol)) {
    throw new AssertionError(
      `${msg ? msg + ": " : ""}expected ${expected} ± ${tol}, got ${actual}`,
    );
  }
}

/** Fails unless two arrays agree elementwise within `rel` relative error (with an `abs` floor). */
export function assertAllClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  { rel = 1e-4, abs = 1e-6, msg = "" }: { rel?: number; abs?: number; msg?: string } = {},
): void {
  if (actual.length !== expected.length) {
    throw new AssertionError(`${msg} length ${actual.length} != ${expected.length}`);
  }
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i], e = expected[i];
    if (!(Math.abs(a - e) <= abs + rel * Math.abs(e))) {
      throw new AssertionError(`${msg} element ${i}: expected ${e}, got ${a}`);
    }
  }
}

/** Fails unless `fn` throws synchronously; returns what it threw. */
export function assertThrows(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new AssertionError("expected an error");
}

/** Fails unless `fn` throws an error whose message includes every one of `parts`. */
export async function assertRejects(
  fn: () => unknown,
  ...parts: string[]
): Promise<Error> {
  try {
    await fn();
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    for (const p of parts) {
      if (!msg.includes(p)) throw new AssertionError(`error "${msg}" does not mention "${p}"`);
    }
    return e as Error;
  }
  throw new AssertionError(`expected an error mentioning ${parts.join(", ")}`);
}

function show(v: unknown): string {
  try {
    return JSON.stringify(v);
  } catch {
    return String(v);
  }
}

/** The message `f` throws, or `""` when it returns: for asserting on parts of an error text. */
export function thrownMessage(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  return "";
}
