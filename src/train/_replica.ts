/**
 * One training step on a batch given by its sample indices, as the fit loop
 * (the main thread) and every data-parallel worker run it. Alone, it is the
 * model's step on the whole batch. As replica `rank` of `count`, it
 * computes the gradients of its slice of the batch with the loss weighted by
 * the slice's share of the batch, sums every replica's through the
 * {@linkcode GradientExchange} and applies the sum: every replica takes the
 * same update, and the sum is the whole batch's gradient up to the order of
 * float additions. The batch's noise and draws are functions of (seed,
 * epoch, step, sample), not of the slice.
 *
 * @module
 */
import { tf } from "../deps.ts";
import { type Dataset, sampleSize } from "../data/dataset.ts";
import type { Autoencoder } from "../models/model.ts";
import { deriveSeed } from "../random.ts";
import { Batches, type BatchSettings } from "./batches.ts";
import type { GradientExchange } from "./exchange.ts";
import { copyOut, tensorFilled } from "../backend/heap_tensors.ts";
import type { TrainStep } from "./step.ts";

/** The settings a replica's steps read: the seed, the batch size and the batches' noise and scale. */
export type ReplicaSettings = BatchSettings & { seed: number; batchSize: number };

/** What a replica trains with. */
export interface Replica {
  /** The model. */
  autoencoder: Autoencoder;
  /** Its optimizer and step. */
  step: TrainStep;
  /** Makes its batches. */
  batches: Batches;
  /** The run's settings. */
  settings: ReplicaSettings;
  /** The exchange with the other replicas, when there are some. */
  exchange?: GradientExchange;
}

/** The batches of `autoencoder` trained on `train` with `settings`. */
export function replicaBatches(
  autoencoder: Autoencoder,
  settings: ReplicaSettings,
  train: Dataset,
): Batches {
  return new Batches(
    autoencoder.inputShape,
    settings,
    sampleSize(train),
    autoencoder.usesLabels,
  );
}

/** The flat layout of the optimizer's variables: offset and size of each, by name. */
export function gradientLayout(step: TrainStep): Map<string, { offset: number; shape: number[] }> {
  const layout = new Map<string, { offset: number; shape: number[] }>();
  let offset = 0;
  for (const v of step.optimizer.variables) {
    layout.set(v.name, { offset, shape: v.shape });
    offset += v.size;
  }
  return layout;
}

/** Floats of all the optimizer's variables together. */
export function parameterCount(step: TrainStep): number {
  return step.optimizer.variables.reduce((n, v) => n + v.size, 0);
}

const layouts = new WeakMap<TrainStep, ReturnType<typeof gradientLayout>>();

/**
 * Step `s` of epoch `epoch` on the samples `idx` of `train`; returns the
 * batch loss (the whole batch's, also on a replica), for the caller to dispose.
 */
export function trainStepOn(
  replica: Replica,
  train: Dataset,
  idx: Uint32Array,
  epoch: number,
  s: number,
): tf.Scalar {
  const { step, batches, settings, exchange } = replica;
  const noiseSeed = deriveSeed(settings.seed, 0x9015e, epoch);
  const seed = deriveSeed(settings.seed, 0x57e9, epoch, s);
  if (!exchange) {
    const batch = batches.make(train, idx, noiseSeed);
    const loss = step.run(batch.input, { ...batch, seed });
    batches.dispose(batch);
    return loss;
  }
  const t0 = performance.now();
  const { count, rank } = { count: exchange.memory.count, rank: exchange.rank };
  const n = idx.length;
  const lo = Math.floor((rank * n) / count), hi = Math.floor(((rank + 1) * n) / count);
  // A replica without samples (a last batch smaller than the replicas) takes
  // the first sample at weight 0: the same variables get gradients, all zero.
  const [from, to, weight] = hi > lo ? [lo, hi, (hi - lo) / n] : [0, 1, 0];
  const batch = batches.make(train, idx.subarray(from, to), noiseSeed);
  const { value, grads } = step.gradients(
    batch.input,
    { ...batch, seed, rows: { offset: from, total: n } },
    weight,
  );
  batches.dispose(batch);
  const loss = value.dataSync()[0];
  value.dispose();
  const t1 = performance.now();
  let layout = layouts.get(step);
  if (!layout) layouts.set(step, layout = gradientLayout(step));
  const region = exchange.region();
  for (const [name, g] of Object.entries(grads)) copyOut(g, region, layout.get(name)!.offset);
  const t2 = performance.now();
  const total = exchange.arrive(loss);
  const t3 = performance.now();
  // The sums in rank order, one float32 addition at a time (the same bits on
  // every replica), this replica's own part straight from its gradients.
  const summed: tf.NamedTensorMap = {};
  for (const [name, own] of Object.entries(grads)) {
    const { offset } = layout.get(name)!;
    summed[name] = tf.tidy(() => {
      let sum: tf.Tensor | undefined;
      for (let r = 0; r < count; r++) {
        const part = r === rank
          ? own
          : tensorFilled(own.shape, (values) =>
            values.set(exchange.arrived(r).subarray(offset, offset + values.length)));
        sum = sum ? tf.add(sum, part) : part;
      }
      return sum!;
    });
  }
  const t4 = performance.now();
  step.optimizer.step(summed);
  tf.dispose([grads, summed]);
  const profile = exchange.profile;
  profile.compute += t1 - t0;
  profile.exchange += t2 - t1 + (t4 - t3);
  profile.update += performance.now() - t4;
  profile.steps++;
  return tf.scalar(total);
}
