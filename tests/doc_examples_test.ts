/**
 * JSDoc examples are real code: every one type-checks (`deno check --doc`),
 * and none is left commented out.
 */
import { assert, assertEquals } from "./_assert.ts";

Deno.test("every JSDoc example in mod.ts, src/ and tasks/ type-checks", async () => {
  const out = await new Deno.Command("deno", {
    args: ["check", "--doc", "--quiet", "mod.ts", "src/", "tasks/"],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  assertEquals(out.code, 0, stderr);
});

/** Example lines (inside a JSDoc code block) that are code behind `//`. */
function commentedOutExamples(source: string): string[] {
  const found: string[] = [];
  let inBlock = false;
  for (const line of source.split("\n")) {
    if (/^\s*\*\s*```/.test(line)) inBlock = !inBlock;
    else if (inBlock && /^\s*\*\s*\/\/\s*(const|let|await|import|for|if|return)\b/.test(line)) {
      found.push(line.trim());
    } else if (inBlock && /^\s*\*\s*\/\/\s*[\w.]+\(.*\);\s*(\/\/.*)?$/.test(line)) {
      found.push(line.trim());
    }
  }
  return found;
}

Deno.test("no JSDoc example is commented out", async () => {
  const offenders: string[] = [];
  const walk = async (dir: string) => {
    for await (const e of Deno.readDir(dir)) {
      const path = `${dir}/${e.name}`;
      if (e.isDirectory) await walk(path);
      else if (e.name.endsWith(".ts")) {
        offenders.push(
          ...commentedOutExamples(await Deno.readTextFile(path)).map((l) => `${path}: ${l}`),
        );
      }
    }
  };
  for (const dir of ["src", "tasks"]) await walk(dir);
  offenders.push(...commentedOutExamples(await Deno.readTextFile("mod.ts")));
  assertEquals(offenders, []);
});

Deno.test("the check finds commented-out code and lets result comments be", () => {
  const doc = [
    "/**",
    " * ```ts",
    " * // const x = f(1);",
    " * // g(x);",
    " * const y = 1; // y === 1",
    " * // shape: [10, 2]",
    " * ```",
    " */",
  ].join("\n");
  const found = commentedOutExamples(doc);
  assertEquals(found.length, 2, found.join("\n"));
  assert(found[0].includes("const x"));
});
