#!/usr/bin/env python3
"""Independent re-implementation (Python standard library only) of the randomization engine's
stream, permuted blocks and minimization, written from docs/randomization.md, used to produce the
pinned sequences in permuted-blocks.test.ts and minimization.test.ts.

Run: python3 server/domain/randomization/reference/reference_allocations.py
"""
import hashlib
import hmac
from fractions import Fraction

VERSION = "segtrial-randomization/1"
SEED = bytes(range(32))  # 000102…1e1f


class Stream:
    def __init__(self, seed: bytes, name: str):
        self.seed, self.name, self.counter, self.words = seed, name, 0, []

    def u32(self) -> int:
        if not self.words:
            block = hmac.new(self.seed, f"{VERSION}|{self.name}|{self.counter}".encode(), hashlib.sha256).digest()
            self.counter += 1
            self.words = [int.from_bytes(block[i : i + 4], "big") for i in range(0, 32, 4)]
        return self.words.pop(0)

    def int(self, n: int) -> int:
        limit = 2**32 - (2**32 % n)
        while True:
            w = self.u32()
            if w < limit:
                return w % n

    def double(self) -> float:
        a, b = self.u32() >> 5, self.u32() >> 6
        return (a * 2**26 + b) / 2**53


def blocks(arms, block_sizes, stratum_key, count):
    """arms: [(key, ratio)] in parameter order."""
    s, out, total = Stream(SEED, stratum_key), [], sum(r for _, r in arms)
    while len(out) < count:
        size = block_sizes[s.int(len(block_sizes))]
        block = [k for k, r in arms for _ in range(r * size // total)]
        for i in range(size - 1, 0, -1):
            j = s.int(i + 1)
            block[i], block[j] = block[j], block[i]
        out += [(k, size) for k in block]
    return out[:count]


def minimization(arms, p, enrollments):
    """arms: [(key, ratio)]; enrollments: [[(factor, level), …]] with the site first; range measure, weights 1."""
    counts, out = {}, []
    for n, pairs in enumerate(enrollments):
        def g(candidate):
            total = Fraction(0)
            for f, l in pairs:
                x = [Fraction(counts.get((f, l, k), 0) + (k == candidate), r) for k, r in arms]
                total += max(x) - min(x)
            return total

        first = all(counts.get((f, l, k), 0) == 0 for f, l in pairs for k, _ in arms)
        totals = {k: g(k) for k, _ in arms}
        low = min(totals.values())
        minimizing = [k for k, _ in arms if totals[k] == low]
        s = Stream(SEED, f"minimization/{n}")
        u = s.double()
        if first or len(minimizing) == len(arms):
            candidates = arms
        elif u < p:
            candidates = [(k, r) for k, r in arms if k in minimizing]
        else:
            candidates = [(k, r) for k, r in arms if k not in minimizing]
        ticket = s.int(sum(r for _, r in candidates))
        for k, r in candidates:
            if ticket < r:
                break
            ticket -= r
        out.append(k)
        for f, l in pairs:
            counts[(f, l, k)] = counts.get((f, l, k), 0) + 1
    return out


if __name__ == "__main__":
    short = {"ai_assisted": "A", "control": "C"}
    arms = [("ai_assisted", 1), ("control", 1)]
    print("blocks   ", " ".join(f"{short[k]}{size}" for k, size in blocks(arms, [2, 4, 6], "site=site-a|sex=F", 12)))
    enrollments = [[("site", f"s{i % 2}"), ("sex", "F" if i % 3 else "M")] for i in range(12)]
    print("minimize ", "".join(short[k] for k in minimization(arms, 0.8, enrollments)))
