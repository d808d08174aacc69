/**
 * The GPU check: finds the WebGPU adapter, trains the conv AE for one epoch
 * on it, and prints seconds per epoch, test loss and the adapter. Run by
 * `tasks/gpu_check.sh` on a machine with a GPU (through Vulkan there); it
 * refuses a software adapter unless `--allow-software` says a dry run is
 * meant.
 *
 * ```sh
 * deno run --allow-read=.,$(deno run tasks/mnist_dir.ts) --allow-write=.tmp tasks/gpu_check.ts \
 *   --allow-software --train-size 2000
 * ```
 *
 * @module
 */
import { parseTaskArgs, runTask, UsageError } from "../src/cli/main.ts";
import { UserError } from "../src/errors.ts";
import { train } from "../src/train/train.ts";

/** The goal for a real GPU: a conv epoch (60,000 images) in under 5 s. */
const GOAL_S = 5;

await runTask(async () => {
  const { values } = parseTaskArgs({
    args: Deno.args,
    options: {
      "allow-software": { type: "boolean", default: false },
      "train-size": { type: "string" },
      out: { type: "string", default: `.tmp/gpu_check-${Date.now()}` },
    },
  });
  const trainSize = values["train-size"] === undefined ? undefined : Number(values["train-size"]);
  if (trainSize !== undefined && !(Number.isInteger(trainSize) && trainSize > 0)) {
    throw new UsageError(`--train-size ${values["train-size"]}: expected a positive integer`);
  }
  const gpu = (navigator as { gpu?: GPU }).gpu;
  const adapter = await gpu?.requestAdapter({ powerPreference: "high-performance" });
  if (!adapter) {
    throw new UserError(
      "navigator.gpu found no adapter (with DENO_WEBGPU_BACKEND=vulkan: is the Vulkan loader " +
        "libvulkan.so.1 found, and the driver's ICD in /usr/share/vulkan/icd.d?)",
    );
  }
  const { vendor, architecture, device, description } = adapter.info;
  const name = [description, vendor, architecture, device].filter(Boolean).join(" ");
  const software = adapter.info.isFallbackAdapter || /llvmpipe|lavapipe|swiftshader/i.test(name);
  console.log(`adapter: ${name}${software ? " (software)" : ""}`);
  if (software && !values["allow-software"]) {
    throw new UserError(
      `the adapter is a software rasteriser, not a GPU; pass --allow-software for a dry run`,
    );
  }
  const { metrics, backend } = await train({
    model: "conv",
    backend: "webgpu",
    epochs: 1,
    seed: 0,
    trainSize,
    out: values.out,
  });
  const m = metrics[0];
  console.log(`backend: ${backend.name} on ${backend.adapter}`);
  console.log(
    `seconds per epoch: ${m.epoch_s} (${m.images_per_s} images/s, ${trainSize ?? 60000} images)`,
  );
  console.log(`test loss: ${m.test_loss.toFixed(4)} (BCE, 10,000 test images)`);
  if (trainSize === undefined) {
    console.log(`goal, a conv epoch under ${GOAL_S} s: ${m.epoch_s < GOAL_S ? "met" : "not met"}`);
  }
});
