/**
 * The body of a data-parallel training worker: its own tfjs-wasm backend
 * (with our kernels) and a replica of the model built from the run's
 * settings, loaded with the main thread's weights and optimizer state.
 * Each `epoch` message runs the epoch's steps on the worker's slices of the
 * batches, in lockstep with the other replicas through the gradient
 * exchange, and replies with the worker's time profile and live tensors.
 *
 * Messages in: `init` ({@linkcode WorkerInit}), `load` ({@linkcode ReplicaState}),
 * `epoch` ({@linkcode EpochRequest}), `evaluate` ({@linkcode EvaluateRequest}),
 * `encode` ({@linkcode EncodeRequest}).
 * Replies: `ready`, `loaded`, `epoch` ({@linkcode EpochReply}), the
 * evaluated chunks' sums, or `error` with a message.
 *
 * @module
 */
import { tf } from "../deps.ts";
import { initBackend } from "../backend/backend.ts";
import { batchOrder, type Dataset } from "../data/dataset.ts";
import { getModel } from "../models/registry.ts";
import type { RunConfig } from "./config.ts";
import { createTrainStep } from "./step.ts";
import { evaluateChunks } from "./evaluate.ts";
import { encodeInto } from "../inference/codec.ts";
import {
  emptyProfile,
  type ExchangeMemory,
  GradientExchange,
  type StepProfile,
} from "./exchange.ts";
import { type Replica, replicaBatches, trainStepOn } from "./_replica.ts";

/** Starts a worker: the run's settings, its (shared) training set, the exchange and this worker's rank. */
export interface WorkerInit {
  kind: "init";
  config: RunConfig;
  train: Dataset;
  memory: ExchangeMemory;
  rank: number;
}

/** The weights (every variable of the model, in order) and optimizer state (none: keep it) to load. */
export interface ReplicaState {
  kind: "load";
  weights: Float32Array[];
  optimizerStep: number;
  moments: Float32Array[];
}

/** Train an epoch; first enter a training phase, if given. */
export interface EpochRequest {
  kind: "epoch";
  epoch: number;
  steps: number;
  phase?: { index: number; reset: boolean };
}

/**
 * Evaluate chunks `chunks` of `data` (see `evaluateChunks`) with the
 * evaluation seed `seed`, after loading `buffers`: the main thread's
 * non-trainable weights (BatchNorm's running statistics), which replicas
 * do not keep in step.
 */
export interface EvaluateRequest {
  kind: "evaluate";
  data: Dataset;
  chunks: number[];
  seed: number;
  buffers: Float32Array[];
}

/** Encode samples `from` to `to` of `data` into the shared `out` (see `encodeInto`). */
export interface EncodeRequest {
  kind: "encode";
  data: Dataset;
  from: number;
  to: number;
  out: Float32Array;
}

/** A worker's epoch: its profile and its live tensors after it. */
export interface EpochReply {
  kind: "epoch";
  profile: StepProfile;
  numTensors: number;
}

let replica: Replica | undefined;
let train: Dataset;

async function handle(
  m: WorkerInit | ReplicaState | EpochRequest | EvaluateRequest | EncodeRequest,
): Promise<unknown> {
  if (m.kind === "init") {
    await initBackend({ backend: "wasm" });
    const autoencoder = getModel(m.config.model).build(m.config);
    const step = createTrainStep(autoencoder, m.config);
    train = m.train;
    replica = {
      autoencoder,
      step,
      batches: replicaBatches(autoencoder, m.config, train),
      settings: m.config,
      exchange: new GradientExchange(m.memory, m.rank),
    };
    return { kind: "ready" };
  }
  const r = replica!;
  if (m.kind === "load") {
    const weights = r.autoencoder.parameters.weights;
    tf.tidy(() => {
      weights.forEach((w, i) => w.write(tf.tensor(m.weights[i], w.shape as number[])));
      const shapes = [...r.step.optimizer.variables, ...r.step.optimizer.variables];
      if (m.moments.length) {
        r.step.optimizer.setState({
          step: m.optimizerStep,
          moments: m.moments.map((v, i) => tf.tensor(v, shapes[i].shape)),
        });
      }
    });
    return { kind: "loaded" };
  }
  if (m.kind === "encode") {
    encodeInto(r.autoencoder, m.data, m);
    return { kind: "encoded" };
  }
  if (m.kind === "evaluate") {
    tf.tidy(() =>
      r.autoencoder.parameters.nonTrainableWeights.forEach((w, i) =>
        w.write(tf.tensor(m.buffers[i], w.shape as number[]))
      )
    );
    const { autoencoder, step, batches } = r;
    return await evaluateChunks(m.data, { autoencoder, step, batches, seed: m.seed }, m.chunks);
  }
  if (m.phase) r.step.setPhase(m.phase.index, { reset: m.phase.reset });
  const exchange = r.exchange!;
  exchange.profile = emptyProfile();
  const order = batchOrder(train.count, { seed: r.settings.seed, epoch: m.epoch });
  const size = r.settings.batchSize;
  for (let s = 0; s < m.steps; s++) {
    trainStepOn(r, train, order.subarray(s * size, (s + 1) * size), m.epoch, s).dispose();
  }
  const reply: EpochReply = {
    kind: "epoch",
    profile: exchange.profile,
    numTensors: tf.memory().numTensors,
  };
  return reply;
}

if (import.meta.main) {
  // In a worker, `self` is the worker scope; the Deno types describe a window.
  const scope = self as unknown as {
    onmessage: (e: MessageEvent) => void;
    postMessage(message: unknown): void;
  };
  let queue = Promise.resolve();
  scope.onmessage = (e: MessageEvent) => {
    queue = queue.then(() => handle(e.data)).then(
      (reply) => scope.postMessage(reply),
      (error) => {
        replica?.exchange?.fail();
        scope.postMessage({ kind: "error", message: (error as Error).message ?? String(error) });
      },
    );
  };
}
