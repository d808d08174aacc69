/**
 * The model zoo by name, as `deno task train <name>` takes it.
 * @module
 */
import type { ModelSpec } from "./model.ts";
import { conv } from "./conv.ts";
import { dense } from "./dense.ts";
import { vae } from "./vae.ts";

/** Every model, by name. */
export const MODELS: Record<string, ModelSpec> = { dense, conv, vae };

/** The spec called `name`, or an error listing the names there are. */
export function getModel(name: string): ModelSpec {
  const spec = MODELS[name];
  if (!spec) throw new Error(`unknown model "${name}"; models: ${Object.keys(MODELS).join(", ")}`);
  return spec;
}
