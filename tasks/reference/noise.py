"""Python reference for tests/noise_bench.ts: y = clip(x + 0.3 N(0,1), 0, 1) over 60000x784 float32, medians of 5 in ms."""
import statistics
import time


def median_ms(f, n=5):
    times = []
    for _ in range(n):
        t = time.perf_counter()
        f()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


try:
    import numpy as np
except ImportError:
    print("python numpy gaussian noise: skipped (no numpy)")
else:
    x = np.random.default_rng(0).random((60000, 784), dtype=np.float32)
    rng = np.random.default_rng(1)

    def numpy_noise():
        return np.clip(x + 0.3 * rng.standard_normal(x.shape, dtype=np.float32), 0, 1)

    print(f"python numpy standard_normal float32 + add + clip: {median_ms(numpy_noise):.0f} ms (median of 5)")
    try:
        import torch
    except ImportError:
        print("python torch gaussian noise: skipped (no torch)")
    else:
        t = torch.from_numpy(x)
        torch.manual_seed(1)
        print(
            f"python torch randn_like + clamp ({torch.get_num_threads()} threads): "
            f"{median_ms(lambda: torch.clamp(t + 0.3 * torch.randn_like(t), 0, 1)):.0f} ms (median of 5)"
        )
