/**
 * How well an embedding keeps the classes apart: leave-one-out k-nearest-
 * neighbour label accuracy, the figure compared between the input features
 * and their t-SNE embedding.
 *
 * ```ts
 * import { neighborAccuracy } from "./metrics.ts";
 * const embedding = new Float32Array([0, 0, 0, 1, 9, 9, 9, 8]), labels = Uint8Array.of(0, 0, 1, 1);
 * const acc = await neighborAccuracy(embedding, 2, labels, { k: 1 }); // 1
 * ```
 *
 * @module
 */
import { exclusive } from "./_kernels.ts";
import { nearestNeighbors } from "./knn.ts";

/** Options for {@linkcode neighborAccuracy}. */
export interface NeighborAccuracyOptions {
  /** Neighbours that vote (default 10). */
  k?: number;
}

/**
 * The fraction of points whose label is the most common one among their `k`
 * nearest other points (ties go to the smallest label, as scikit-learn's
 * `KNeighborsClassifier`), in the space of `points` (row-major n x `dims`).
 *
 * @example
 * ```ts
 * import { neighborAccuracy } from "./metrics.ts";
 * async function kept(features: Float32Array, embedding: Float32Array, labels: Uint8Array) {
 *   const inputAcc = await neighborAccuracy(features, 64, labels);
 *   const outputAcc = await neighborAccuracy(embedding, 2, labels);
 *   return outputAcc - inputAcc;
 * }
 * ```
 */
export function neighborAccuracy(
  points: Float32Array,
  dims: number,
  labels: ArrayLike<number>,
  options: NeighborAccuracyOptions = {},
): Promise<number> {
  const { k = 10 } = options;
  const n = points.length / dims;
  if (labels.length !== n) {
    throw new Error(`neighborAccuracy: ${labels.length} labels for ${n} points`);
  }
  return exclusive(async () => {
    const { indices } = await nearestNeighbors(points, dims, { k });
    const votes = new Map<number, number>();
    let correct = 0;
    for (let i = 0; i < n; i++) {
      votes.clear();
      for (let j = 0; j < k; j++) {
        const label = labels[indices[i * k + j]];
        votes.set(label, (votes.get(label) ?? 0) + 1);
      }
      let best = -1, bestVotes = 0;
      for (const [label, count] of votes) {
        if (count > bestVotes || (count === bestVotes && label < best)) {
          [best, bestVotes] = [label, count];
        }
      }
      if (best === labels[i]) correct++;
    }
    return correct / n;
  });
}
