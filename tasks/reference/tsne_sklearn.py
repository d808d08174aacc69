"""scikit-learn's t-SNE on the same input as `deno task bench:tsne`, for comparison.

Usage: /usr/bin/python3 tasks/reference/tsne_sklearn.py FEATURES.npy OUT.npy [--perplexity 30]
       [--iterations 1000] [--seed 0] [--exact]

Reads an (n, d) float32 array, runs sklearn.manifold.TSNE with its defaults for
scikit-learn 1.2 (init="pca", learning_rate="auto", Barnes-Hut angle 0.5),
writes the (n, 2) float32 embedding to OUT.npy and prints one JSON line:
{"seconds": fit time, "kl": kl_divergence_, "n_iter": ..., "sklearn": version, "threads": ...}.
"""
import argparse
import json
import os
import time

import numpy as np
import sklearn
from sklearn.manifold import TSNE


def main():
    p = argparse.ArgumentParser()
    p.add_argument("features")
    p.add_argument("out")
    p.add_argument("--perplexity", type=float, default=30.0)
    p.add_argument("--iterations", type=int, default=1000)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--exact", action="store_true")
    a = p.parse_args()
    x = np.load(a.features).astype(np.float32)
    kwargs = dict(
        n_components=2,
        perplexity=a.perplexity,
        init="pca",
        learning_rate="auto",
        random_state=a.seed,
        method="exact" if a.exact else "barnes_hut",
    )
    # n_iter was renamed max_iter in scikit-learn 1.5.
    major, minor = (int(v) for v in sklearn.__version__.split(".")[:2])
    kwargs["max_iter" if (major, minor) >= (1, 5) else "n_iter"] = a.iterations
    tsne = TSNE(**kwargs)
    start = time.perf_counter()
    y = tsne.fit_transform(x)
    seconds = time.perf_counter() - start
    np.save(a.out, y.astype(np.float32))
    print(json.dumps({
        "seconds": seconds,
        "kl": float(tsne.kl_divergence_),
        "n_iter": int(tsne.n_iter_),
        "sklearn": sklearn.__version__,
        "threads": os.cpu_count(),
    }))


if __name__ == "__main__":
    main()
