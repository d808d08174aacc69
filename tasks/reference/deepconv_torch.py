"""PyTorch 1.13 reference for the `deepconv` model (seed 003): DeepAutoEncoder, L1 loss, Adam 5e-4,
batch 100, inputs in [0, 1]. Prints the train and test L1 per epoch.

    /usr/bin/python3 tasks/reference/deepconv_torch.py <mnist dir with the 4 raw IDX files> [epochs] [seed]
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


folder = sys.argv[1]
epochs = int(sys.argv[2]) if len(sys.argv) > 2 else 1
torch.manual_seed(int(sys.argv[3]) if len(sys.argv) > 3 else 0)
torch.set_num_threads(1)
x_train = torch.tensor(idx(f"{folder}/train-images-idx3-ubyte")[:, None] / 255, dtype=torch.float32)
x_test = torch.tensor(idx(f"{folder}/t10k-images-idx3-ubyte")[:, None] / 255, dtype=torch.float32)


def block(conv, n, act):
    return [conv, nn.BatchNorm2d(n), act]


model = nn.Sequential(
    *block(nn.Conv2d(1, 3, 2, 1, 0, bias=False), 3, nn.LeakyReLU(0.2)),
    *block(nn.Conv2d(3, 6, 3, 2, 0, bias=False), 6, nn.LeakyReLU(0.2)),
    *block(nn.Conv2d(6, 6, 3, 2, 0, bias=False), 6, nn.LeakyReLU(0.2)),
    *block(nn.Conv2d(6, 6, 4, 2, 0, bias=False), 6, nn.LeakyReLU(0.2)),
    *block(nn.ConvTranspose2d(6, 6, 4, 2, bias=False), 6, nn.ReLU()),
    *block(nn.ConvTranspose2d(6, 6, 3, 2, bias=False), 6, nn.ReLU()),
    *block(nn.ConvTranspose2d(6, 3, 3, 2, bias=False), 3, nn.ReLU()),
    nn.ConvTranspose2d(3, 1, 2, 1, bias=False),
    nn.BatchNorm2d(1),
)
opt = torch.optim.Adam(model.parameters(), lr=5e-4)
for epoch in range(epochs):
    model.train()
    total = 0.0
    for b in torch.randperm(len(x_train)).split(100):
        loss = nn.functional.l1_loss(model(x_train[b]), x_train[b])
        opt.zero_grad()
        loss.backward()
        opt.step()
        total += loss.item() * len(b)
    model.eval()
    with torch.no_grad():
        test = sum(nn.functional.l1_loss(model(x), x).item() * len(x) for x in x_test.split(1000))
    print(f"epoch {epoch + 1}: train L1 {total / len(x_train):.4f} test L1 {test / len(x_test):.4f}", flush=True)
