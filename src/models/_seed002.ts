/**
 * The training recipe seed 002's models share (sparse, denoising,
 * contractive, stacked, VAE): batch 64, Adam at 1e-3 without weight decay,
 * MSE on inputs in [0, 1]. Each model spreads it into its defaults and adds
 * or overrides its own.
 * @module
 */
import type { ModelDefaults } from "./model.ts";

/** Seed 002's shared hyper-parameters. */
export const SEED_002_RECIPE = {
  batchSize: 64,
  lr: 1e-3,
  loss: "mse",
  optimizer: "adam",
  weightDecay: 0,
  scale: "unit",
} as const satisfies Partial<ModelDefaults>;
