/**
 * Scatter plots name the classes when the data does: the PNG's legend and
 * centre labels make room for the names, the HTML scatter carries them
 * (escaped: names are data) for its legend, centres and tooltip.
 */
import { assert, assertEquals } from "./_assert.ts";
import { className, scatterPlot } from "../src/plot/scatter.ts";
import { scatterSection } from "../src/plot/scatter_html.ts";

// Class 0 top left, class 1 (orange) bottom right, away from the legend at the top right.
const points = Float32Array.of(0, 6, 1, 5, 5, 0, 6, 1);
const labels = Uint8Array.of(0, 0, 1, 1);

Deno.test("a class is named by classNames when it has a name, else by its number", () => {
  assertEquals(className(1, ["cat", "dog"]), "dog");
  assertEquals(className(2, ["cat", "dog"]), "2");
  assertEquals(className(3), "3");
});

Deno.test("the PNG scatter's legend widens for long class names", () => {
  const plain = scatterPlot(points, { labels, width: 600, height: 800 });
  const named = scatterPlot(points, {
    labels,
    classNames: ["a long class name", "b"],
    width: 600,
    height: 800,
  });
  // The points are drawn left of the legend: longer names leave them less room.
  const rightmost = (c: typeof plain) => {
    let x = 0;
    for (let i = 0; i < c.pixels.length; i += 4) {
      const [r, g, b] = c.pixels.subarray(i, i + 3);
      if (r === 255 && g !== 255 && b !== 255 && i / 4 / c.width > 200) {
        x = Math.max(x, (i / 4) % c.width);
      }
    }
    return x;
  };
  assert(rightmost(named) < rightmost(plain), `${rightmost(named)} vs ${rightmost(plain)}`);
});

Deno.test("the HTML scatter carries the class names, with '<' escaped", () => {
  const html = scatterSection(points, { labels, classNames: ["cat", "</script>"] });
  assert(html.includes('"names":{"0":"cat","1":"\\u003c/script>"}'), html);
  assertEquals(html.split("</script>").length, 2, "only the section's own closing tag");
  const numbered = scatterSection(points, { labels });
  assert(numbered.includes('"names":{"0":"0","1":"1"}'));
});
