/**
 * A model summary in the style of torchsummary: each layer with its output
 * shape and parameter count, then the totals and the size of the weights.
 *
 * ```ts
 * import { MODELS } from "../models/registry.ts";
 * import { modelSummary } from "./summary.ts";
 * console.log(modelSummary(MODELS.conv.build({ latentDim: 64, seed: 0 })));
 * ```
 *
 * @module
 */
import type { tfl } from "../deps.ts";
import type { Autoencoder } from "../models/model.ts";
import { leafLayers } from "../models/_torch_init.ts";

/** One row of the summary. */
export interface LayerRow {
  name: string;
  type: string;
  outputShape: (number | null)[];
  params: number;
  trainable: boolean;
}

/** The summary's numbers, for reports. */
export interface ModelSummary {
  rows: LayerRow[];
  totalParams: number;
  trainableParams: number;
}

/** Rows for every layer of the model, in order, each once (inputs left out). */
export function summarize(ae: Pick<Autoencoder, "parameters">): ModelSummary {
  const layers = [...new Set(leafLayers(ae.parameters as tfl.LayersModel))]
    .filter((l) => l.getClassName() !== "InputLayer");
  const rows = layers.map((l) => ({
    name: l.name,
    type: l.getClassName(),
    outputShape: l.outputShape as (number | null)[],
    params: l.countParams(),
    trainable: l.trainable,
  }));
  const totalParams = rows.reduce((n, r) => n + r.params, 0);
  const trainableParams = ae.parameters.trainableWeights.reduce(
    (n, w) => n + (w.shape as number[]).reduce((a, b) => a * b, 1),
    0,
  );
  return { rows, totalParams, trainableParams };
}

/**
 * The summary as text, torchsummary's layout with tfjs's NHWC shapes
 * (-1 is the batch dimension).
 *
 * @example
 * ```ts
 * import { modelSummary } from "./summary.ts";
 * import { MODELS } from "../models/registry.ts";
 * console.log(modelSummary(MODELS.vae.build({ latentDim: 2, seed: 0 })));
 * ```
 */
export function modelSummary(ae: Pick<Autoencoder, "parameters">): string {
  const { rows, totalParams, trainableParams } = summarize(ae);
  const rule = "-".repeat(72), double = "=".repeat(72);
  const lines = [
    rule,
    `${"Layer (type)".padStart(30)}  ${"Output Shape".padStart(22)}  ${"Param #".padStart(14)}`,
    double,
  ];
  for (const r of rows) {
    const shape = `[${r.outputShape.map((d) => d ?? -1).join(", ")}]`;
    lines.push(
      `${`${r.name} (${r.type})`.padStart(30)}  ${shape.padStart(22)}  ${
        r.params.toLocaleString("en-US").padStart(14)
      }`,
    );
  }
  const mb = (totalParams * 4) / 2 ** 20;
  lines.push(
    double,
    `Total params: ${totalParams.toLocaleString("en-US")}`,
    `Trainable params: ${trainableParams.toLocaleString("en-US")}`,
    `Non-trainable params: ${(totalParams - trainableParams).toLocaleString("en-US")}`,
    rule,
    `Params size (MB): ${mb.toFixed(2)}`,
    rule,
  );
  return lines.join("\n");
}
