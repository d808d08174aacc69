"""Writes tests/fixtures/anomaly_sklearn.json: scikit-learn's roc_auc_score,
average_precision_score, roc_curve and precision_recall_curve, and numpy's
percentile (PyOD's threshold_), on cases with and without tied scores, for
tests/anomaly_metrics_test.ts. Run with a Python that has scikit-learn:

    .tmp/py/bin/python tasks/reference/anomaly_metrics_fixtures.py
"""
import json

import numpy as np
import sklearn
from sklearn.metrics import average_precision_score, precision_recall_curve, roc_auc_score, roc_curve

rng = np.random.default_rng(13)
cases = {
    "small": ([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]),
    "ties": ([0, 1, 0, 1, 1, 0, 0, 1], [1, 1, 0, 2, 2, 2, 3, 0]),
    "all_tied": ([0, 1, 1, 0, 1], [5, 5, 5, 5, 5]),
    "random": (rng.integers(0, 2, 300).tolist(), rng.normal(size=300).astype(np.float32).tolist()),
    "coarse": (rng.integers(0, 2, 500).tolist(), rng.integers(0, 12, 500).astype(float).tolist()),
    "rare": ((rng.random(400) < 0.05).astype(int).tolist(), rng.random(400).round(2).tolist()),
}
out = {"sklearn": sklearn.__version__, "cases": {}}
for name, (y, s) in cases.items():
    fpr, tpr, roc_t = roc_curve(y, s, drop_intermediate=False)
    p, r, pr_t = precision_recall_curve(y, s)
    out["cases"][name] = {
        "labels": y,
        "scores": s,
        "roc_auc": roc_auc_score(y, s),
        "average_precision": average_precision_score(y, s),
        "fpr": fpr.tolist(),
        "tpr": tpr.tolist(),
        "roc_thresholds": [t if np.isfinite(t) else "inf" for t in roc_t.tolist()],
        "precision": p.tolist(),
        "recall": r.tolist(),
        "pr_thresholds": pr_t.tolist(),
        "percentile_90": float(np.percentile(s, 90)),
        "mean_plus_std": float(np.mean(s) + np.std(s)),
    }
with open("tests/fixtures/anomaly_sklearn.json", "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
