/**
 * Finding the optional Python of the developers' benchmarks: the one given
 * with `--python`, else the newest version of the needed package among a
 * task's candidates (the project-local venv first, so it wins ties). Each
 * candidate is run once with `-c` to import the package and print its
 * version; one that is missing, not allowed to run, or lacks the package is
 * passed over. A `--python` that cannot run is a {@linkcode UsageError}
 * naming the flag that would allow it.
 *
 * ```ts
 * import { findPython } from "./python.ts";
 * const found = await findPython({ candidates: ["/usr/bin/python3"], module: "numpy" });
 * console.log(found ? `numpy ${found.version} in ${found.python}` : "no numpy");
 * ```
 *
 * @module
 */
import { UsageError } from "./main.ts";

/** A Python and the version of the package it was asked for. */
export interface FoundPython {
  /** The interpreter, as given or as listed. */
  python: string;
  /** The package's `__version__`, e.g. "2.13.0+cpu". */
  version: string;
}

/** Options for {@linkcode findPython}. */
export interface FindPythonOptions {
  /** Interpreters to try without `given`, in order of preference on equal versions. */
  candidates: readonly string[];
  /** The package whose newest version wins, e.g. "torch" (imported by this name). */
  module: string;
  /** A Python named by the user (`--python`): the only one tried (default: none). */
  given?: string;
  /** More packages it must import too (default none), e.g. ["numpy"]. */
  alsoImports?: readonly string[];
}

/**
 * The Python with the newest `module`, or `undefined` when none has it.
 *
 * @example
 * ```ts
 * import { findPython } from "./python.ts";
 * const torch = await findPython({
 *   candidates: [".tmp/py/bin/python", "/usr/bin/python3"],
 *   module: "torch",
 * });
 * ```
 */
export async function findPython(options: FindPythonOptions): Promise<FoundPython | undefined> {
  const { given, candidates, module, alsoImports = [] } = options;
  const script = [module, ...alsoImports].map((m) => `import ${m}`).join("; ") +
    `; print(${module}.__version__)`;
  let best: FoundPython | undefined;
  for (const python of given === undefined ? candidates : [given]) {
    let out: Deno.CommandOutput;
    try {
      out = await new Deno.Command(python, {
        args: ["-c", script],
        stdout: "piped",
        stderr: "null",
      }).output();
    } catch (e) {
      const missing = e instanceof Deno.errors.NotFound;
      if (!missing && !(e instanceof Deno.errors.NotCapable)) throw e;
      if (given === undefined) continue;
      throw new UsageError(
        missing
          ? `--python ${given}: no such program`
          : `--python ${given}: not allowed to run (the task may run ${
            candidates.join(" and ")
          }); ` +
            `grant it with --allow-run=${given}`,
      );
    }
    const version = new TextDecoder().decode(out.stdout).trim();
    if (!out.success || !version) continue;
    if (!best || compareVersions(version, best.version) > 0) best = { python, version };
  }
  return best;
}

/**
 * Orders two version strings by their numeric parts ("2.13.0+cpu" > "1.13.1";
 * a missing part counts as 0): negative, 0 or positive.
 *
 * @example
 * ```ts
 * import { compareVersions } from "./python.ts";
 * compareVersions("2.13.0+cpu", "2.9.1") > 0; // true
 * ```
 */
export function compareVersions(a: string, b: string): number {
  const parts = (v: string) => (v.match(/^[\d.]+/)?.[0] ?? "").split(".").map(Number);
  const x = parts(a), y = parts(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] || 0) - (y[i] || 0);
    if (d !== 0) return d;
  }
  return 0;
}
