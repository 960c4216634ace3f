#!/usr/bin/env python3
"""Differential test: zhclean's conversion vs OpenCC 1.4.2 on random text.

Builds random text from dictionary keys (whole, cut, overlapping), their
characters, ideographic description sequences, CJK compatibility
ideographs, ASCII, newlines and other noise; converts it with OpenCC 1.4.2
(Python `opencc==1.4.2`) and with `target/release/examples/opencc`; reports
the first differing line per config.

    cargo build --release --example opencc
    /tmp/occ/bin/python scripts/opencc_diff.py [ROUNDS] [SEED]
"""
import glob
import os
import random
import subprocess
import sys

import opencc

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CONFIGS = ["s2t", "t2s", "s2tw", "tw2s", "s2hk", "hk2s", "s2twp", "tw2sp",
           "t2tw", "hk2t", "t2hk", "t2jp", "jp2t", "tw2t", "s2hkp", "hk2sp"]


def load_keys():
    keys, values = [], []
    for path in glob.glob(os.path.join(ROOT, "data", "opencc", "*.txt")):
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.startswith("#") or "\t" not in line:
                    continue
                k, v = line.rstrip("\n").split("\t", 1)
                keys.append(k)
                values.extend(v.split(" "))
    return keys, values


def piece(rng, keys, values):
    r = rng.random()
    if r < 0.35:
        return rng.choice(keys)
    if r < 0.5:
        return rng.choice(values)
    if r < 0.6:
        k = rng.choice(keys)
        i = rng.randrange(len(k) + 1)
        return k[:i] if rng.random() < 0.5 else k[i:]
    if r < 0.7:
        k = rng.choice(keys + values)
        return rng.choice(k)
    if r < 0.75:
        ops = "⿰⿱⿲⿳⿴⿵⿶⿷⿸⿹⿺⿻⿼⿽⿾⿿"
        return "".join(rng.choice(ops) for _ in range(rng.randrange(1, 4))) + \
            "".join(rng.choice(rng.choice(keys)) for _ in range(rng.randrange(0, 5)))
    if r < 0.8:
        return chr(rng.choice([rng.randrange(0xF900, 0xFADA), rng.randrange(0x2F800, 0x2FA1E)]))
    if r < 0.88:
        return rng.choice(["\n", " ", "\r\n", "\t", "a", "SQL", "PN", "，", "。", "😀", "\u0301", "\ufe0f", "\u3000"])
    return "".join(chr(rng.randrange(0x20, 0x7F)) for _ in range(rng.randrange(1, 6)))


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    rng = random.Random(seed)
    keys, values = load_keys()
    exe = os.path.join(ROOT, "target", "release", "examples", "opencc")
    bad = 0
    for rnd in range(rounds):
        lines = ["".join(piece(rng, keys, values) for _ in range(rng.randrange(1, 40)))
                 for _ in range(2000)]
        text = "\n".join(lines)
        for config in CONFIGS:
            want = opencc.OpenCC(config).convert(text)
            got = subprocess.run([exe, config], input=text.encode("utf-8"),
                                 capture_output=True, check=True).stdout.decode("utf-8")
            if got != want:
                bad += 1
                wl, gl = want.split("\n"), got.split("\n")
                for i, (a, b) in enumerate(zip(wl, gl)):
                    if a != b:
                        print(f"round {rnd} {config}: input {lines[i]!r}\n  opencc  {a!r}\n  zhclean {b!r}")
                        break
                else:
                    print(f"round {rnd} {config}: line counts differ")
    print(f"{rounds} rounds x {len(CONFIGS)} configs, {bad} differing")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
