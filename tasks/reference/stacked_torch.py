"""PyTorch 1.13 reference for the `stacked` model (seed 002's recipe): greedy layer-wise
pre-training of 784-256-128-64 (ReLU codes, sigmoid reconstructions, MSE, Adam 1e-3, batch 64,
10 epochs per layer, lower layers frozen), then fine-tuning encoder + linear head with
cross-entropy on the logits (Adam 5e-4, 15 epochs). Prints the test accuracy per fine-tuning
epoch and the best.

Variants of the recipe, to see what the accuracy goal would take: --no-pretrain (fine-tune from
PyTorch's initialisation), --linear-decoders (layers 2 and 3 reconstruct their unbounded ReLU
inputs linearly instead of through a sigmoid), --dropout P (after each encoder layer while
fine-tuning).

    /usr/bin/python3 tasks/reference/stacked_torch.py <mnist dir with the 4 raw IDX files> [seed] [variants]
"""
import sys

import numpy as np
import torch
import torch.nn as nn


def idx(path):
    raw = open(path, "rb").read()
    dims = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(raw, np.uint8, offset=4 + 4 * dims).reshape(shape)


folder, seed = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 and sys.argv[2].isdigit() else 0
flags = sys.argv[2:]
pretrain = "--no-pretrain" not in flags
linear_decoders = "--linear-decoders" in flags
dropout = float(flags[flags.index("--dropout") + 1]) if "--dropout" in flags else 0.0
torch.manual_seed(seed)
torch.set_num_threads(1)
x_train = torch.tensor(idx(f"{folder}/train-images-idx3-ubyte").reshape(-1, 784) / 255, dtype=torch.float32)
y_train = torch.tensor(idx(f"{folder}/train-labels-idx1-ubyte").astype(np.int64))
x_test = torch.tensor(idx(f"{folder}/t10k-images-idx3-ubyte").reshape(-1, 784) / 255, dtype=torch.float32)
y_test = torch.tensor(idx(f"{folder}/t10k-labels-idx1-ubyte").astype(np.int64))


def batches(n, size=64):
    order = torch.randperm(n)
    return [order[i:i + size] for i in range(0, n, size)]


sizes = [784, 256, 128, 64]
encoders = []
features = x_train
for i in range(3):
    enc = nn.Sequential(nn.Linear(sizes[i], sizes[i + 1]), nn.ReLU())
    encoders.append(enc)
    if not pretrain:
        continue
    out = nn.Identity() if linear_decoders and i > 0 else nn.Sigmoid()
    dec = nn.Sequential(nn.Linear(sizes[i + 1], sizes[i]), out)
    opt = torch.optim.Adam(list(enc.parameters()) + list(dec.parameters()), lr=1e-3)
    for epoch in range(10):
        total = 0.0
        for b in batches(len(features)):
            loss = nn.functional.mse_loss(dec(enc(features[b])), features[b])
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item() * len(b)
        print(f"pretrain layer {i + 1} epoch {epoch + 1}: mse {total / len(features):.4f}", flush=True)
    with torch.no_grad():
        features = enc(features)

layers = [m for enc in encoders for m in ([enc, nn.Dropout(dropout)] if dropout else [enc])]
model = nn.Sequential(*layers, nn.Linear(64, 10))
opt = torch.optim.Adam(model.parameters(), lr=5e-4)
best = 0.0
for epoch in range(15):
    model.train()
    for b in batches(len(x_train)):
        loss = nn.functional.cross_entropy(model(x_train[b]), y_train[b])
        opt.zero_grad()
        loss.backward()
        opt.step()
    model.eval()
    with torch.no_grad():
        acc = (model(x_test).argmax(1) == y_test).float().mean().item() * 100
    best = max(best, acc)
    print(f"fine-tune epoch {epoch + 1}: test accuracy {acc:.2f} % (best {best:.2f} %)", flush=True)
