/**
 * The model zoo by name, as `deno task train <name>` takes it.
 * @module
 */
import type { ModelSpec } from "./model.ts";
import { UserError } from "../errors.ts";
import { dense } from "./dense.ts";
import { conv } from "./conv.ts";
import { deepconv } from "./deepconv.ts";
import { tconv } from "./tconv.ts";
import { stacked } from "./stacked.ts";
import { sparse } from "./sparse.ts";
import { denoising } from "./denoising.ts";
import { contractive } from "./contractive.ts";
import { vae } from "./vae.ts";

/** Every model, by name, in the order of the seed tutorials. */
export const MODELS: Record<string, ModelSpec> = {
  dense,
  conv,
  deepconv,
  tconv,
  stacked,
  sparse,
  denoising,
  contractive,
  vae,
};

/** The spec called `name`, or an error listing the names there are. */
export function getModel(name: string): ModelSpec {
  const spec = MODELS[name];
  if (!spec) {
    throw new UserError(`unknown model "${name}"; models: ${Object.keys(MODELS).join(", ")}`);
  }
  return spec;
}
