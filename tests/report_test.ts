/**
 * `report.html` is one self-contained page: it opens offline in headless
 * Chromium with no console errors, and its charts, images and t-SNE scatter
 * render.
 */
import { assert, assertEquals } from "./_assert.ts";
import { quick, tempRunDir } from "./_train_fixture.ts";
import { train } from "../src/train/train.ts";
import { writeReport } from "../src/report/report.ts";
import { findChromium, visitPage } from "./_chromium.ts";

const chromium = await findChromium();

Deno.test({
  name:
    "report.html renders offline in headless Chromium, charts and scatter drawn, no console errors",
  ignore: !chromium,
  fn: async () => {
    const out = await tempRunDir("report_");
    await train(
      quick({ out, backend: "wasm", epochs: 2, trainSize: 512, testSize: 300, batchSize: 64 }),
    );
    const path = await writeReport(out, { tsnePoints: 300, backend: "wasm" });
    const html = await Deno.readTextFile(path);
    assert(!/(src|href)=["']?(https?:)?\/\//.test(html), "nothing loads from the network");
    const visit = await visitPage(chromium!, Deno.realPathSync(path), {
      expression: `({
        charts: [...document.images].filter((i) => i.complete && i.naturalWidth > 0).length,
        images: document.images.length,
        scatter: Number(document.querySelector(".sc-canvas")?.dataset.points ?? 0),
        summary: document.querySelector("pre")?.textContent.includes("Total params"),
      })`,
    });
    await Deno.writeFile(`${out}/report_screenshot.png`, visit.screenshot);
    assertEquals(visit.errors, []);
    const v = visit.value as { charts: number; images: number; scatter: number; summary: boolean };
    assert(v.images >= 2 && v.charts === v.images, `every image decoded: ${JSON.stringify(v)}`);
    assertEquals(v.scatter, 300);
    assert(v.summary, "model summary shown");
    assert(visit.screenshot.length > 20_000, "a screenshot with content");
  },
});
