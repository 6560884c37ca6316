"""`make bench`: every benchmark in turn, with its default sizes (long: run it apart from tests).

Each benchmark prints its own figures and its ratio to a baseline measured in the same run;
bench/README.md records them.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = [
    ["process_bench.py"],
    ["score_extraction.py"],
    ["search_bench.py", "--docs", "10000"],
    ["search_bench.py", "--docs", "100000"],
    ["crawl_bench.py"],
    ["alerts_bench.py"],
]


def main() -> int:
    failed = 0
    for args in BENCHMARKS:
        print(f"\n=== bench/{' '.join(args)}", flush=True)
        result = subprocess.run([sys.executable, str(HERE / args[0]), *args[1:]], cwd=HERE.parent)
        failed += result.returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
