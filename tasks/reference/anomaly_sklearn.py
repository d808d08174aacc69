"""The classical baselines of `deno task bench:anomaly`: the MNIST one-class
protocol (train on one digit's training images, score the whole test set,
ROC-AUC with the other nine digits as anomalies) for scikit-learn's
IsolationForest, OneClassSVM (rbf, on a 2,000-image subset of the digit) and
PCA reconstruction error (32 components). Pixels in [0, 1].

Prints one JSON object per digit on stdout:
{"digit", "iforest", "ocsvm", "pca32", "seconds": {...}, "sklearn"}.

    python3 anomaly_sklearn.py <mnist-dir> 0,1,2,...

The tabular case takes the split `deno task bench:anomaly --csv` wrote
(train.npy: the normal training rows, test.npy, test_anomalies.npy) and
prints one object; PCA keeps min(32, columns // 2) components there.

    python3 anomaly_sklearn.py --npy <dir>
"""
import gzip
import json
import os
import sys
import time

import numpy as np
import sklearn
from sklearn.decomposition import PCA
from sklearn.ensemble import IsolationForest
from sklearn.metrics import roc_auc_score
from sklearn.svm import OneClassSVM


def idx(path):
    for name in (path, path + ".gz"):
        if os.path.exists(name):
            raw = open(name, "rb").read()
            if raw[:2] == b"\x1f\x8b":
                raw = gzip.decompress(raw)
            rank = raw[3]
            shape = [int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(rank)]
            return np.frombuffer(raw, np.uint8, offset=4 + 4 * rank).reshape(shape)
    raise FileNotFoundError(path)


def baselines(normal, test, anomaly, row):
    t = time.perf_counter()
    forest = IsolationForest(random_state=0).fit(normal)
    row["iforest"] = roc_auc_score(anomaly, -forest.score_samples(test))
    row["seconds"]["iforest"] = time.perf_counter() - t

    t = time.perf_counter()
    sub = np.random.default_rng(0).choice(len(normal), min(2000, len(normal)), replace=False)
    svm = OneClassSVM(kernel="rbf", gamma="scale").fit(normal[sub])
    row["ocsvm"] = roc_auc_score(anomaly, -svm.score_samples(test))
    row["seconds"]["ocsvm"] = time.perf_counter() - t

    t = time.perf_counter()
    k = min(32, normal.shape[1] // 2)
    pca = PCA(n_components=k, random_state=0).fit(normal)
    recon = pca.inverse_transform(pca.transform(test))
    row["pca32"] = roc_auc_score(anomaly, ((test - recon) ** 2).mean(axis=1))
    row["pca_components"] = k
    row["seconds"]["pca32"] = time.perf_counter() - t
    return row


def main():
    if sys.argv[1] == "--npy":
        folder = sys.argv[2]
        normal = np.load(f"{folder}/train.npy")
        test = np.load(f"{folder}/test.npy")
        anomaly = np.load(f"{folder}/test_anomalies.npy")
        row = {"sklearn": sklearn.__version__, "seconds": {}}
        print(json.dumps(baselines(normal, test, anomaly, row)), flush=True)
        return
    folder, digits = sys.argv[1], [int(d) for d in sys.argv[2].split(",")]
    x_train = idx(f"{folder}/train-images-idx3-ubyte").reshape(-1, 784).astype(np.float32) / 255
    y_train = idx(f"{folder}/train-labels-idx1-ubyte")
    x_test = idx(f"{folder}/t10k-images-idx3-ubyte").reshape(-1, 784).astype(np.float32) / 255
    y_test = idx(f"{folder}/t10k-labels-idx1-ubyte")
    for c in digits:
        normal = x_train[y_train == c]
        anomaly = (y_test != c).astype(int)
        row = {"digit": c, "sklearn": sklearn.__version__, "seconds": {}}
        baselines(normal, x_test, anomaly, row)
        print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
