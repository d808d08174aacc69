/**
 * Runs a Python reference timing script from `tasks/reference/` (optional: only
 * when the bench may run `/usr/bin/python3`), feeding it `input` on stdin and
 * printing what it reports, so Python's figures land in the same run as the bench.
 * @module
 */
const PYTHON = "/usr/bin/python3";

/** Prints the script's timings, or why they were skipped. */
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
