import { assertEquals } from "./_assert.ts";
import { cpuSample, metered, stealShare, timeBetween } from "../src/cli/cpu_steal.ts";

Deno.test("timeBetween counts every CPU's wall-clock time and what the OS did not account for", () => {
  const before = { at: 500, cpus: 2, accounted: 10_000 };
  assertEquals(timeBetween(before, { at: 1500, cpus: 2, accounted: 11_700 }), {
    missing: 300,
    total: 2000,
  });
  // Accounted in 10 ms ticks, a reading can run ahead of the clock: never below 0.
  assertEquals(timeBetween(before, { at: 1500, cpus: 2, accounted: 12_010 }), {
    missing: 0,
    total: 2000,
  });
});

Deno.test("stealShare gives the unaccounted time as a percentage, or says it is unknown", () => {
  assertEquals(stealShare({ missing: 150, total: 2000 }), "7.5 % steal");
  assertEquals(stealShare({ missing: 0, total: 0 }), "steal unknown (--allow-sys=cpus)");
});

Deno.test("metered adds the CPU time that passed while it ran, and returns the result", async () => {
  const time = { missing: 0, total: 0 };
  const readable = cpuSample() !== undefined;
  const t0 = performance.now();
  const result = await metered(time, async () => {
    const end = performance.now() + 50;
    while (performance.now() < end) await Promise.resolve();
    return 42;
  });
  const cpus = navigator.hardwareConcurrency;
  assertEquals(result, 42);
  if (readable) {
    const wall = (performance.now() - t0) * cpus;
    assertEquals(time.total >= 50 * cpus && time.total <= wall, true, `${time.total} ms`);
    assertEquals(time.missing >= 0 && time.missing <= time.total, true);
  } else {
    assertEquals(time, { missing: 0, total: 0 });
  }
});
