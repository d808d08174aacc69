"""Writes a CIFAR-10-format folder (data_batch_1.bin, test_batch.bin, batches.meta.txt) of
32x32 RGB patches cut from scikit-learn's two sample photographs (class 0: china.jpg, class 1:
flower.jpg), for trying `--data` on the CIFAR binary format without a download.

Run from the repository root:
  .tmp/py/bin/python tasks/reference/cifar_patches.py data/photo_patches
"""
import os
import sys

import numpy as np
from sklearn.datasets import load_sample_images

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(0)
photos = load_sample_images().images  # two (427, 640, 3) uint8 photographs
records = []
for label, photo in enumerate(photos):
    for _ in range(3000):
        y, x = rng.integers(0, photo.shape[0] - 32), rng.integers(0, photo.shape[1] - 32)
        patch = photo[y : y + 32, x : x + 32]  # HWC
        # A CIFAR record: the label byte, then the R, G and B planes (CHW), row by row.
        records.append(np.concatenate([[label], patch.transpose(2, 0, 1).ravel()]).astype(np.uint8))
records = np.stack(records)[rng.permutation(len(records))]
records[:5000].tofile(f"{out}/data_batch_1.bin")
records[5000:].tofile(f"{out}/test_batch.bin")
with open(f"{out}/batches.meta.txt", "w") as f:
    f.write("china\nflower\n")
