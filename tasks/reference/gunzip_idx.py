"""Python reference for tests/gunzip_idx_bench.ts: gzip bytes on stdin, medians of 5 in ms."""
import gzip
import statistics
import sys
import time

data = sys.stdin.buffer.read()


def median_ms(f, n=5):
    times = []
    for _ in range(n):
        t = time.perf_counter()
        f()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


print(f"python gzip.decompress: {median_ms(lambda: gzip.decompress(data)):.0f} ms (median of 5)")
try:
    import numpy as np
except ImportError:
    print("python gzip.decompress + numpy: skipped (no numpy)")
else:
    def numpy_f32():
        return np.frombuffer(gzip.decompress(data), np.uint8, offset=16).astype(np.float32) / 255

    print(f"python gzip.decompress + numpy float32 / 255: {median_ms(numpy_f32):.0f} ms (median of 5)")
