/**
 * The option declarations: every model's options resolve from them, and a
 * library call meets the same checks as the command line, before any work.
 */
import { assert, assertEquals, assertRejects } from "./_assert.ts";
import { train } from "../src/train/train.ts";
import { resolveConfig } from "../src/train/config.ts";
import { OptionError, OPTIONS, optionsOf, validateSettings } from "../src/train/options.ts";
import { MODELS } from "../src/models/registry.ts";

Deno.test("train({ model: 'conv', width: 64 }) throws the command line's OptionError before loading anything", async () => {
  const error = await assertRejects(
    () => train({ model: "conv", width: 64, data: "no/such/folder" }),
    "--width applies to tconv only; conv does not take it",
  );
  assert(error instanceof OptionError, String(error));
  await assertRejects(() => train({ model: "dense", dropout: 1 }), "--dropout 1", "[0, 1)");
  await assertRejects(
    () => train({ model: "dense", loss: "hinge" as "mse" }),
    "--loss hinge",
    "bce, mse, l1",
  );
});

Deno.test("each model's own options take their declared defaults, and only that model has them", () => {
  assertEquals(resolveConfig({ model: "tconv" }).width, 16);
  assertEquals(resolveConfig({ model: "stacked" }).pretrainEpochs, 10);
  assertEquals(resolveConfig({ model: "sparse" }).sparsityWeight, 1e-3);
  assertEquals(resolveConfig({ model: "contractive" }).contractiveWeight, 1e-4);
  assertEquals("width" in resolveConfig({ model: "conv" }), false);
  const denoising = resolveConfig({ model: "denoising" });
  assertEquals([denoising.noise, denoising.noiseLevel], ["gaussian", 0.2]);
  assertEquals(resolveConfig({ model: "dense", noise: "mask" }).noise, "mask");
});

Deno.test("every option is declared once, with a flag, a help line, and the models it applies to", () => {
  const flags = OPTIONS.map((o) => o.flag);
  assertEquals(new Set(flags).size, flags.length, "no flag declared twice");
  for (const o of OPTIONS) {
    assert(o.help.length > 0 && o.models.length > 0, o.flag);
    assert(o.models.every((m) => m in MODELS), o.flag);
  }
  assertEquals(optionsOf("deepconv").some((o) => o.key === "latentDim"), false);
  validateSettings({ model: "deepconv", epochs: 3 });
});

Deno.test("valSplit defaults to 0.1 with early stopping, else 0; early stopping refuses valSplit 0", () => {
  assertEquals(resolveConfig({ model: "dense" }).valSplit, 0);
  assertEquals(resolveConfig({ model: "dense", earlyStopping: 3 }).valSplit, 0.1);
  assertEquals(resolveConfig({ model: "dense", earlyStopping: 3, valSplit: 0.25 }).valSplit, 0.25);
  assertEquals(resolveConfig({ model: "dense", valSplit: 0.2 }).valSplit, 0.2);
  let error: unknown;
  try {
    resolveConfig({ model: "dense", earlyStopping: 3, valSplit: 0 });
  } catch (e) {
    error = e;
  }
  assert(error instanceof OptionError && error.message.includes("--val-split"), String(error));
  assert(optionsOf("conv").some((o) => o.flag === "--val-split"), "every model takes --val-split");
});
