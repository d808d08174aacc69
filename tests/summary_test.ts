/**
 * The model summary shows the shapes of the data the model was built for:
 * the input batch, each layer's output (padding and cropping included), and
 * counts every parameter once.
 */
import { assert, assertEquals } from "./_assert.ts";
import { MODELS } from "../src/models/registry.ts";
import { modelSummary, summarize } from "../src/train/summary.ts";
import { initBackend } from "../src/backend/backend.ts";

Deno.test("the summary of conv on 30x30 RGB shows the input, the padding to 32x32 and the crop back", async () => {
  await initBackend({ backend: "cpu" });
  const ae = MODELS.conv.build({ latentDim: 8, seed: 0, inputShape: [30, 30, 3] });
  const text = modelSummary(ae);
  const line = (name: string) => text.split("\n").find((l) => l.trim().startsWith(name)) ?? "";
  assert(line("input (Input)").includes("[-1, 30, 30, 3]"), text);
  assert(line("enc_pad (ZeroPadding2D)").includes("[-1, 32, 32, 3]"), text);
  assert(line("dec_convT2 (Conv2DTranspose)").includes("[-1, 32, 32, 3]"), text);
  assert(line("dec_crop (Cropping2D)").includes("[-1, 30, 30, 3]"), text);
  const { rows, totalParams } = summarize(ae);
  assertEquals(totalParams, ae.parameters.countParams());
  assertEquals(rows.find((r) => r.name === "dec_convT2")!.params, 16 * 3 * 2 * 2 + 3);
});

Deno.test("a dense model's summary on a table shows rows of D features", async () => {
  await initBackend({ backend: "cpu" });
  const ae = MODELS.dense.build({ latentDim: 4, seed: 0, inputShape: [20] });
  const { inputShape, rows } = summarize(ae);
  assertEquals(inputShape, [null, 20]);
  assertEquals(rows.at(-1)!.outputShape, [null, 20]);
  assertEquals(summarize(MODELS.dense.build({ latentDim: 4, seed: 0 })).inputShape, [null, 784]);
});
