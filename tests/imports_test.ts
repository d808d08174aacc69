/** The modules under src/ import each other without cycles (type-only imports count too). */
import { assertEquals } from "./_assert.ts";

/** Every relative import and re-export of each module under `dir`, as resolved paths. */
async function importGraph(dir: string): Promise<Map<string, string[]>> {
  const graph = new Map<string, string[]>();
  const walk = async (d: string) => {
    for await (const e of Deno.readDir(d)) {
      const path = `${d}/${e.name}`;
      if (e.isDirectory) await walk(path);
      else if (/\.(ts|js)$/.test(e.name) && !e.name.endsWith(".d.ts")) {
        const text = await Deno.readTextFile(path);
        const specifiers = [
          ...text.matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s*"(\.[^"]+)"/gms),
        ]
          .map((m) => m[1]);
        graph.set(path, specifiers.map((s) => new URL(s, `file:///${path}`).pathname.slice(1)));
      }
    }
  };
  await walk(dir);
  return graph;
}

/** The first cycle found, as the modules around it; none if the graph has none. */
function findCycle(graph: Map<string, string[]>): string[] {
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (node: string): string[] => {
    if (state.get(node) === "done") return [];
    if (state.get(node) === "open") return [...stack.slice(stack.indexOf(node)), node];
    state.set(node, "open");
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle.length) return cycle;
    }
    stack.pop();
    state.set(node, "done");
    return [];
  };
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle.length) return cycle;
  }
  return [];
}

Deno.test("no import cycle among the modules of src/", async () => {
  assertEquals(findCycle(await importGraph("src")).join(" -> "), "");
});

Deno.test("the cycle check finds a cycle when there is one", () => {
  const graph = new Map([["a.ts", ["b.ts"]], ["b.ts", ["c.ts"]], ["c.ts", ["a.ts"]], [
    "d.ts",
    ["a.ts"],
  ]]);
  assertEquals(findCycle(graph), ["a.ts", "b.ts", "c.ts", "a.ts"]);
  assertEquals(findCycle(new Map([["a.ts", ["b.ts"]], ["b.ts", []]])), []);
});

Deno.test("the import graph resolves relative paths", async () => {
  const graph = await importGraph("src");
  const fit = graph.get("src/train/fit.ts") ?? [];
  assertEquals(fit.includes("src/train/step.ts"), true, fit.join(", "));
});
