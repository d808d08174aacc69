/**
 * Weights as bytes: a network as tfjs's layers format (`model.json` and
 * `weights.bin`, what `tf.loadLayersModel` reads) and named tensors (the
 * optimizer's moments) as a manifest and one binary, both ways.
 *
 * @module
 */
import { tf, type tfl } from "../deps.ts";

function join(data: tf.io.WeightData): Uint8Array {
  return new Uint8Array(tf.io.CompositeArrayBuffer.join(data));
}

/** Named tensors as one binary and the manifest entries that describe it. */
export async function encodeTensors(
  named: tf.NamedTensorMap,
): Promise<{ data: Uint8Array; specs: tf.io.WeightsManifestEntry[] }> {
  const { data, specs } = await tf.io.encodeWeights(named);
  return { data: join(data), specs };
}

/** The tensors of a binary written by {@linkcode encodeTensors} or as `weights.bin`. */
export function decodeTensors(
  bytes: Uint8Array,
  specs: tf.io.WeightsManifestEntry[],
): tf.NamedTensorMap {
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  return tf.io.decodeWeights(buffer as ArrayBuffer, specs);
}

/**
 * Serialises the network as tfjs's `model.json` (whose manifest names
 * `weightsFile`) and the bytes of that file.
 */
export async function networkArtifacts(
  network: tfl.LayersModel,
  weightsFile = "weights.bin",
): Promise<{ json: string; weights: Uint8Array }> {
  const names = network.weights.map((w) => w.originalName);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) throw new Error(`layer weight "${dup}" appears twice: give every layer a unique name`);
  let out: { json: string; weights: Uint8Array } | undefined;
  await network.save(tf.io.withSaveHandler((artifacts) => {
    const modelJson = {
      format: "layers-model",
      generatedBy: artifacts.generatedBy,
      convertedBy: null,
      modelTopology: artifacts.modelTopology,
      weightsManifest: [{ paths: [weightsFile], weights: artifacts.weightSpecs }],
    };
    out = { json: JSON.stringify(modelJson), weights: join(artifacts.weightData!) };
    return Promise.resolve({
      modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" },
    });
  }));
  return out!;
}
