/**
 * The CPU time a virtual machine's hypervisor took from it ("steal") over
 * stretches of a benchmark. On this project's 2-vCPU machine it took up to
 * 30 % of the CPU in a run of a few seconds, which swings the ratios of
 * `deno task bench:train` from run to run, so the bench prints it next to
 * them. Deno lets no task read `/proc/stat` short of `--allow-all`, so the
 * figure is what node's `os.cpus()` (`--allow-sys=cpus`) does not account
 * for: every CPU's wall-clock time less its user, nice, system, idle and irq
 * time. On Linux that is the steal plus iowait and softirq time, which an
 * idle-disk benchmark keeps near 0. Without the permission there is no figure.
 *
 * ```ts
 * import { metered, stealShare } from "./cpu_steal.ts";
 * const time = { missing: 0, total: 0 };
 * await metered(time, () => Promise.resolve(Math.sqrt(2)));
 * console.log(stealShare(time)); // e.g. "2.1 % steal"
 * ```
 *
 * @module
 */
import { cpus } from "node:os";

/** CPU time in ms summed over every CPU: all of it, and what the OS did not account for. */
export interface CpuTime {
  /** ms the CPUs neither ran nor idled for this machine (the hypervisor's steal, mostly). */
  missing: number;
  /** Wall-clock ms times the CPUs. */
  total: number;
}

/** One reading of the CPUs' accounted time. */
export interface CpuSample {
  /** `performance.now()` at the reading. */
  at: number;
  /** CPUs. */
  cpus: number;
  /** Their user, nice, system, idle and irq ms since boot, summed. */
  accounted: number;
}

/** The CPUs' accounted time now, or undefined without `--allow-sys=cpus` (or any CPUs listed). */
export function cpuSample(): CpuSample | undefined {
  try {
    const list = cpus();
    if (list.length === 0) return undefined;
    const accounted = list.reduce(
      (s, { times: t }) => s + t.user + t.nice + t.sys + t.idle + t.irq,
      0,
    );
    return { at: performance.now(), cpus: list.length, accounted };
  } catch {
    return undefined;
  }
}

/**
 * The CPU time between two readings, and what of it went unaccounted
 * (never below 0: the OS counts in 10 ms ticks).
 *
 * @example
 * ```ts
 * import { timeBetween } from "./cpu_steal.ts";
 * timeBetween({ at: 0, cpus: 2, accounted: 0 }, { at: 1000, cpus: 2, accounted: 1800 });
 * // { missing: 200, total: 2000 }
 * ```
 */
export function timeBetween(before: CpuSample, after: CpuSample): CpuTime {
  const total = (after.at - before.at) * after.cpus;
  return { missing: Math.max(0, total - (after.accounted - before.accounted)), total };
}

/**
 * Runs `f` and adds the CPU time that passed meanwhile to `into` (nothing
 * without `--allow-sys=cpus`); returns what `f` returned.
 */
export async function metered<T>(into: CpuTime, f: () => Promise<T>): Promise<T> {
  const before = cpuSample();
  try {
    return await f();
  } finally {
    const after = cpuSample();
    if (before && after) {
      const t = timeBetween(before, after);
      into.missing += t.missing;
      into.total += t.total;
    }
  }
}

/**
 * The share of `time` that went unaccounted, as "12.3 % steal", or "steal
 * unknown" when none was metered.
 *
 * @example
 * ```ts
 * import { stealShare } from "./cpu_steal.ts";
 * stealShare({ missing: 150, total: 2000 }); // "7.5 % steal"
 * ```
 */
export function stealShare(time: CpuTime): string {
  return time.total > 0
    ? `${(100 * time.missing / time.total).toFixed(1)} % steal`
    : "steal unknown (--allow-sys=cpus)";
}
