/**
 * A model summary in the style of torchsummary: the input's shape, each
 * layer with its output shape and parameter count (the shapes of the data
 * the model was built for), then the totals and the size of the weights.
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
  /** Shape of the input batch (`null`: the batch dimension). */
  inputShape: (number | null)[];
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
  const inputShape = ae.parameters.inputs[0].shape as (number | null)[];
  return { inputShape, rows, totalParams, trainableParams };
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
  const { inputShape, rows, totalParams, trainableParams } = summarize(ae);
  const rule = "-".repeat(72), double = "=".repeat(72);
  const row = (name: string, shape: (number | null)[], params: number) =>
    `${name.padStart(30)}  ${`[${shape.map((d) => d ?? -1).join(", ")}]`.padStart(22)}  ${
      params.toLocaleString("en-US").padStart(14)
    }`;
  const lines = [
    rule,
    `${"Layer (type)".padStart(30)}  ${"Output Shape".padStart(22)}  ${"Param #".padStart(14)}`,
    double,
    row("input (Input)", inputShape, 0),
    ...rows.map((r) => row(`${r.name} (${r.type})`, r.outputShape, r.params)),
  ];
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
