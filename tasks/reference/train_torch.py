"""PyTorch CPU reference for `deno task bench:train`: ms per training step of
the seed tutorials' models (conv AE 000, dense AE 001, VAE 002), as they
train them (Adam 1e-3, their losses and batch sizes), on one batch of the
first images of an IDX file (`--images`, raw or .gz: MNIST's training images
for the bench), else of uniform random pixels.

Optional: needs torch (Debian `python3-torch`); without it, prints one JSON
line {"error": "..."} and exits 0, and the benchmark reports wasm alone.

    python3 tasks/reference/train_torch.py --threads 1,2 --steps 20
    -> {"torch": "2.13.0+cpu", "capability": "AVX512",
        "results": [{"model": "conv", "threads": 1, "ms_per_step": 31.9}, ...]}

With `--product M,K,N`, also the GFLOP/s of one M x K by K x N product
(torch.mm) at each thread count, as "products": [{"threads": 1, "gflops": 99.5}, ...].
"""
import argparse
import gzip
import json
import sys
import time

try:
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
except ImportError as e:  # torch is optional
    print(json.dumps({"error": f"torch unavailable: {e}"}))
    sys.exit(0)


class ConvAE(nn.Module):
    """Seed 000: Conv 16/32 + MaxPool -> 64-d ReLU code -> ConvTranspose, sigmoid."""

    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2, 2),
            nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2, 2),
            nn.Flatten(), nn.Linear(32 * 7 * 7, 64), nn.ReLU())
        self.fc = nn.Linear(64, 32 * 7 * 7)
        self.deconv = nn.Sequential(
            nn.ConvTranspose2d(32, 16, 2, stride=2), nn.ReLU(),
            nn.ConvTranspose2d(16, 1, 2, stride=2), nn.Sigmoid())

    def loss(self, x):
        h = F.relu(self.fc(self.encoder(x))).view(-1, 32, 7, 7)
        return F.binary_cross_entropy(self.deconv(h), x)


class DenseAE(nn.Module):
    """Seed 001: 784-128-64-32 ReLU, mirror decoder with Tanh, MSE."""

    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(
            nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU(),
            nn.Linear(64, 32), nn.ReLU(),
            nn.Linear(32, 64), nn.ReLU(), nn.Linear(64, 128), nn.ReLU(),
            nn.Linear(128, 784), nn.Tanh())

    def loss(self, x):
        return F.mse_loss(self.net(x), x)


class VAE(nn.Module):
    """Seed 002: 784-256 -> (mu, logvar), latent 2, BCE(sum) + KL per image."""

    def __init__(self, latent=2):
        super().__init__()
        self.fc1 = nn.Linear(784, 256)
        self.mu = nn.Linear(256, latent)
        self.logvar = nn.Linear(256, latent)
        self.dec = nn.Sequential(nn.Linear(latent, 256), nn.ReLU(), nn.Linear(256, 784), nn.Sigmoid())

    def loss(self, x):
        h = F.relu(self.fc1(x))
        mu, logvar = self.mu(h), self.logvar(h)
        z = mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)
        bce = F.binary_cross_entropy(self.dec(z), x, reduction="sum")
        kl = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
        return (bce + kl) / x.shape[0]


# name: (model, batch size, one sample's shape, pixel range)
MODELS = {
    "conv": (ConvAE, 128, (1, 28, 28), (0.0, 1.0)),
    "dense": (DenseAE, 256, (784,), (-1.0, 1.0)),
    "vae": (VAE, 64, (784,), (0.0, 1.0)),
}


def first_images(path, count):
    """The first `count` images of an IDX file of bytes (N x 28 x 28), as floats in [0, 1]."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        raw = f.read(16 + count * 784)
    return torch.frombuffer(bytearray(raw[16:]), dtype=torch.uint8).float() / 255


def ms_per_step(name, steps, warmup, images=None):
    """Median ms of `steps` Adam steps on one batch, after `warmup` steps."""
    build, batch, shape, (lo, hi) = MODELS[name]
    torch.manual_seed(0)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    unit = first_images(images, batch) if images else torch.rand(batch * 784)
    x = (unit * (hi - lo) + lo).reshape(batch, *shape)
    times = []
    for i in range(warmup + steps):
        t0 = time.perf_counter()
        opt.zero_grad()
        loss = model.loss(x)
        loss.backward()
        opt.step()
        loss.item()
        if i >= warmup:
            times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return times[len(times) // 2]


def product_gflops(m, k, n, calls=100, rounds=5):
    """GFLOP/s of torch.mm on an m x k and a k x n matrix, best of `rounds` blocks of `calls`."""
    torch.manual_seed(0)
    a, b = torch.rand(m, k), torch.rand(k, n)
    for _ in range(10):
        torch.mm(a, b)
    best = float("inf")
    for _ in range(rounds):
        t0 = time.perf_counter()
        for _ in range(calls):
            torch.mm(a, b)
        best = min(best, (time.perf_counter() - t0) / calls)
    return 2 * m * k * n / best / 1e9


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--models", default="conv,dense,vae")
    p.add_argument("--threads", default="1,2", help="comma-separated thread counts")
    p.add_argument("--steps", type=int, default=20)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--product", help="M,K,N: also time one product of these sizes")
    p.add_argument("--images", help="an IDX file of 28x28 images to train on (default: random)")
    a = p.parse_args()
    results, products = [], []
    for threads in [int(t) for t in a.threads.split(",")]:
        torch.set_num_threads(threads)
        if a.product:
            m, k, n = (int(v) for v in a.product.split(","))
            products.append({"threads": threads, "gflops": round(product_gflops(m, k, n), 1)})
        for name in filter(None, a.models.split(",")):
            if name not in MODELS:
                p.error(f"unknown model {name!r}; models: {', '.join(MODELS)}")
            ms = ms_per_step(name, a.steps, a.warmup, a.images)
            results.append({"model": name, "threads": threads, "ms_per_step": round(ms, 3)})
    # The vector width PyTorch's own CPU kernels were dispatched for (AVX512, AVX2, ...); 2.0 on.
    capability = getattr(getattr(torch.backends, "cpu", None), "get_cpu_capability", lambda: None)()
    print(json.dumps({"torch": torch.__version__, "capability": capability,
                      "results": results, "products": products}))


if __name__ == "__main__":
    main()
