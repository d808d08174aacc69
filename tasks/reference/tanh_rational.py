"""Checks the float32 tanh of asm/elementwise_math.ts over every float32, and shows how it was fitted.

tanh(x) ~ x P(x^2) / Q(x^2) on [-9, 9], P and Q of degree 4 with P(0) = Q(0) = 1:
a linearised minimax fit of the relative error of tanh(x)/x (differential
correction, each step a linear program), rounded to float32. The check emulates
the kernel's float32 evaluation (x clamped to [-9, 9], Horner with fused
multiply-adds, one division, the quotient clamped to [-1, 1]) on every float32
in [0, 9.5] (or every `--step`-th) against float64 tanh; the function is odd,
and its evaluation too. `--fit` checks a fresh fit instead of the kernel's
coefficients (the linear programs' solutions, hence the last bits, vary with
the solver's version). Needs numpy, scipy and mpmath; about 90 s at step 1.

    python3 tasks/reference/tanh_rational.py [--step N] [--fit]
"""
import argparse

import mpmath
import numpy as np
from scipy.optimize import linprog

DEGREE = 4
CLAMP = 9.0
# The kernel's coefficients, lowest degree first.
KERNEL_P = [1, 0.13380377, 0.0034948173, 2.0596632e-5, 1.3338163e-8]
KERNEL_Q = [1, 0.46713695, 0.025874045, 3.2843818e-4, 7.769632e-7]


def fit(degree=DEGREE, c=CLAMP, iterations=12, points=3000):
    x = np.unique(np.concatenate([np.linspace(0, c, points), c * np.sin(np.linspace(0, np.pi / 2, points))]))
    z = x * x
    g = np.array([float(mpmath.tanh(v) / v) if v > 0 else 1.0 for v in x])
    q_prev = np.ones_like(z)
    powers = np.stack([z**i for i in range(1, degree + 1)], 1)
    for _ in range(iterations):
        # |P - g Q| <= d g Q_prev, linear in (p_1.., q_1.., d): minimise d.
        a = np.concatenate([powers, -g[:, None] * powers], 1)
        w = (g * q_prev)[:, None]
        rows = np.concatenate([np.concatenate([a, -w], 1), np.concatenate([-a, -w], 1)])
        bounds = np.concatenate([g - 1, 1 - g])
        cost = np.zeros(2 * degree + 1)
        cost[-1] = 1
        res = linprog(cost, A_ub=rows, b_ub=bounds, bounds=[(None, None)] * (2 * degree) + [(0, None)])
        assert res.success, res.message
        p = np.concatenate([[1], res.x[:degree]])
        q = np.concatenate([[1], res.x[degree:2 * degree]])
        q_prev = np.polyval(q[::-1], z)
    return p.astype(np.float32), q.astype(np.float32)


def kernel(p, q, x):
    """The kernel's float32 arithmetic: a float32 product is exact in float64, so
    float64 multiply-add then one rounding is the fused multiply-add."""
    f32, f64 = np.float32, np.float64
    xc = np.clip(x, f32(-CLAMP), f32(CLAMP))
    z = (xc.astype(f64) * xc).astype(f32)

    def horner(c):
        acc = np.full_like(z, c[-1])
        for k in reversed(c[:-1]):
            acc = (acc.astype(f64) * z + f64(k)).astype(f32)
        return acc

    num = (horner(p).astype(f64) * xc).astype(f32)
    r = (num.astype(f64) / horner(q)).astype(f32)
    return np.clip(r, f32(-1), f32(1))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--step", type=int, default=1)
    ap.add_argument("--fit", action="store_true")
    args = ap.parse_args()
    step = args.step
    p, q = fit() if args.fit else (np.array(KERNEL_P, np.float32), np.array(KERNEL_Q, np.float32))
    print("P:", ", ".join(str(v) for v in p))
    print("Q:", ", ".join(str(v) for v in q))
    worst_ulp, worst_x, worst_abs = 0.0, 0.0, 0.0
    top = int(np.float32(9.5).view(np.int32))
    for start in range(0, top, 1 << 23):
        x = np.arange(start, min(start + (1 << 23), top), step, dtype=np.int32).view(np.float32)
        y = kernel(p, q, x).astype(np.float64)
        ref = np.tanh(x.astype(np.float64))
        ulp = np.spacing(np.abs(ref.astype(np.float32))).astype(np.float64)
        ulp[ulp == 0] = 2.0**-149
        err = np.abs(y - ref)
        i = int(np.argmax(err / ulp))
        if err[i] / ulp[i] > worst_ulp:
            worst_ulp, worst_x = err[i] / ulp[i], float(x[i])
        worst_abs = max(worst_abs, float(err.max()))
    print(f"every {step}. float32 in [0, 9.5]: max {worst_ulp:.2f} ulp (at {worst_x}), max abs {worst_abs:.2e}")
    print("tanh(+-inf) =", kernel(p, q, np.array([np.inf, -np.inf], np.float32)))


if __name__ == "__main__":
    main()
