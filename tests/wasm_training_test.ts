/**
 * 200 training steps on the wasm backend (with our kernels) end within 2 % of
 * the same 200 steps on the cpu backend, from the same seed and data: the
 * kernels' rounding does not drift a training run away from the reference.
 * The network is seed 000's conv AE shrunk to 8x8 images (same layer kinds:
 * conv + max-pool, dense, transposed conv, BCE), so the cpu side stays quick.
 */
import { assert } from "./_assert.ts";
import { tf, tfl } from "../src/deps.ts";
import { initBackend } from "../src/backend/backend.ts";
import type { Autoencoder } from "../src/models/model.ts";
import { createTrainStep } from "../src/train/step.ts";
import { chained } from "../src/models/_layers.ts";

const STEPS = 200;
const BATCH = 8;

function tinyConvAe(): Autoencoder {
  const L = tfl.layers;
  let seed = 0;
  const init = () => tfl.initializers.glorotUniform({ seed: ++seed });
  const conv = { padding: "same" as const, activation: "relu" as const, kernelSize: 3 };
  const encoder = tfl.sequential({
    layers: [
      L.conv2d({ ...conv, inputShape: [8, 8, 1], filters: 4, kernelInitializer: init() }),
      L.maxPooling2d({ poolSize: 2, strides: 2 }),
      L.conv2d({ ...conv, filters: 8, kernelInitializer: init() }),
      L.maxPooling2d({ poolSize: 2, strides: 2 }),
      L.flatten(),
      L.dense({ units: 6, activation: "relu", kernelInitializer: init() }),
    ],
  });
  const up = { kernelSize: 2, strides: 2 };
  const decoder = tfl.sequential({
    layers: [
      L.dense({ inputShape: [6], units: 32, activation: "relu", kernelInitializer: init() }),
      L.reshape({ targetShape: [2, 2, 8] }),
      L.conv2dTranspose({ ...up, filters: 4, activation: "relu", kernelInitializer: init() }),
      L.conv2dTranspose({ ...up, filters: 1, activation: "sigmoid", kernelInitializer: init() }),
    ],
  });
  return { encoder, decoder, ...chained("small_conv", encoder, decoder), inputShape: [8, 8, 1] };
}

/** 64 images of a 3x3 square (brightness 0.6 to 0.9) at each of the 36 places on an 8x8 canvas. */
function squares(): tf.Tensor4D {
  const pixels = new Float32Array(64 * 64);
  for (let i = 0; i < 64; i++) {
    const [y, x, v] = [(i * 7) % 6, (i * 5 + Math.floor(i / 6)) % 6, 0.6 + 0.3 * ((i * 3) % 8) / 7];
    for (let dy = 0; dy < 3; dy++) {
      for (let dx = 0; dx < 3; dx++) pixels[i * 64 + (y + dy) * 8 + x + dx] = v;
    }
  }
  return tf.tensor4d(pixels, [64, 8, 8, 1]);
}

async function train(backend: "wasm" | "cpu"): Promise<number[]> {
  await initBackend({ backend });
  const ae = tinyConvAe();
  const step = createTrainStep(ae, { loss: "bce", lr: 3e-3 });
  const data = squares();
  const losses: number[] = [];
  for (let i = 0; i < STEPS; i++) {
    const batch = tf.slice(data, [(i * BATCH) % 64, 0, 0, 0], [BATCH, 8, 8, 1]);
    const loss = step.run(batch);
    losses.push((await loss.data())[0]);
    tf.dispose([loss, batch]);
  }
  data.dispose();
  step.optimizer.dispose();
  ae.parameters.dispose();
  return losses;
}

Deno.test(`conv AE: ${STEPS} steps on wasm and cpu end within 2 % in loss`, async () => {
  const wasm = await train("wasm");
  const cpu = await train("cpu");
  // The mean of the last 8 steps: one pass over the data, so batch-to-batch spread cancels.
  const tail = (l: number[]) => l.slice(-8).reduce((a, b) => a + b, 0) / 8;
  const [w, c] = [tail(wasm), tail(cpu)];
  assert(c < 0.9 * cpu[0], `the reference run did not learn: ${cpu[0]} -> ${c}`);
  assert(Math.abs(w - c) <= 0.02 * c, `final loss wasm ${w} vs cpu ${c}: more than 2 % apart`);
});
