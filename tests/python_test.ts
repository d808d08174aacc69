/** Finding the benchmarks' Python: the newest version among the candidates, the ones that cannot run passed over, a bad --python an error naming the grant. */
import { assert, assertEquals, assertRejects } from "./_assert.ts";
import { compareVersions, findPython } from "../src/cli/python.ts";

Deno.test("versions order by their numeric parts, local tags ignored", () => {
  assert(compareVersions("2.13.0+cpu", "1.13.1") > 0);
  assert(compareVersions("2.9.1", "2.13.0") < 0);
  assertEquals(compareVersions("2.13", "2.13.0+cpu"), 0);
  assert(compareVersions("1.9.1", "") > 0);
});

// deno task test may run /usr/bin/python3 only: a missing program and one it may not run are skipped.
Deno.test("the candidates that cannot run or lack the package are passed over", async () => {
  const candidates = ["/nonexistent/bin/python", ".tmp/not-allowed/bin/python", "/usr/bin/python3"];
  const found = await findPython({ candidates, module: "decimal" });
  assertEquals(found?.python, "/usr/bin/python3");
  assert(/^\d+\.\d+/.test(found!.version), found!.version);
  assertEquals(await findPython({ candidates, module: "no_such_module_diabolo" }), undefined);
  assertEquals(
    await findPython({ candidates, module: "decimal", alsoImports: ["no_such_module_diabolo"] }),
    undefined,
  );
});

Deno.test("a --python that may not run is an error naming the flag that allows it", async () => {
  await assertRejects(
    () =>
      findPython({
        given: "/opt/torch/bin/python",
        candidates: ["/usr/bin/python3"],
        module: "torch",
      }),
    "--python /opt/torch/bin/python: not allowed to run",
    "--allow-run=/opt/torch/bin/python",
  );
  const given = await findPython({ given: "/usr/bin/python3", candidates: [], module: "decimal" });
  assertEquals(given?.python, "/usr/bin/python3");
});
