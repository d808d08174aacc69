/**
 * Context printed with the data-path benches: the machine's load (timings on a
 * shared 2-core machine mean little without it) and, optionally, Python reference
 * timings, so Python's figures land in the same run as the bench.
 * @module
 */
import { loadavg } from "node:os";

const PYTHON = "/usr/bin/python3";

/** Prints the 1/5/15-minute load averages when `--allow-sys=loadavg` is given. */
export function printLoad(): void {
  if (Deno.permissions.querySync({ name: "sys", kind: "loadavg" }).state !== "granted") return;
  console.log(`load average: ${loadavg().map((l) => l.toFixed(2)).join(", ")}`);
}

/**
 * Runs a Python timing script from `tasks/reference/` when the bench may run
 * `/usr/bin/python3`, feeding it `input` on stdin and printing what it reports.
 */
export async function pythonReference(script: string, input = new Uint8Array(0)): Promise<void> {
  if (Deno.permissions.querySync({ name: "run", command: PYTHON }).state !== "granted") {
    console.log(`python reference ${script}: skipped (needs --allow-run=${PYTHON})`);
    return;
  }
  const path = new URL(`../tasks/reference/${script}`, import.meta.url).pathname;
  try {
    const child = new Deno.Command(PYTHON, { args: [path], stdin: "piped", stdout: "piped" })
      .spawn();
    const writer = child.stdin.getWriter();
    await writer.write(input);
    await writer.close();
    const { code, stdout } = await child.output();
    const text = new TextDecoder().decode(stdout).trim();
    console.log(code === 0 ? text : `python reference ${script}: failed (exit ${code})`);
  } catch (e) {
    console.log(`python reference ${script}: skipped (${(e as Error).message})`);
  }
}
