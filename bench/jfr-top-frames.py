"""Reads `jfr print --events jdk.ExecutionSample` from stdin and prints the methods found in the
most samples: by self (top frame) and by total (anywhere on the stack, counted once a sample),
each as a share of all samples. Used by bench/read-path-profile.sh."""
import collections
import re
import sys

limit = int(sys.argv[1]) if len(sys.argv) > 1 else 25
frame = re.compile(r"^\s+([\w$.<>/]+)\(.*\)\s+line:")
samples = 0
self_counts = collections.Counter()
total_counts = collections.Counter()
stack = []


def close():
    global samples
    if stack:
        samples += 1
        self_counts[stack[0]] += 1
        for method in set(stack):
            total_counts[method] += 1


for line in sys.stdin:
    if line.startswith("jdk.ExecutionSample"):
        close()
        stack = []
        continue
    m = frame.match(line)
    if m:
        stack.append(m.group(1))
close()

print(f"{samples} samples")
for title, counts in (("self", self_counts), ("total", total_counts)):
    print(f"-- top {limit} by {title}")
    for method, n in counts.most_common(limit):
        print(f"{100.0 * n / samples:6.1f}%  {method}")
