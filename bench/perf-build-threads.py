"""Which threads held the CPUs while a replica rebuilt its snapshot. Reads the output of
`perf script -F pid,tid,comm,time` for a `perf record -a -e cpu-clock -F 1000` taken around
bench/push.sh, finds the replica's rebuilds (runs of samples on its `holdfast-build-N` workers no
more than 80 ms apart) and, for the rebuilds chosen, counts every sample of every process on the
machine by thread name (digits dropped, so a pool counts as one): the builder's share, the
collector's (`GC Thread`, `G1 Conc`), the JIT's (`C2 CompilerThre`), the carriers' and the
harness's. How issue 21 found what a loaded replica's rebuild shares its two cores with.
Usage: perf script -i FILE -F pid,tid,comm,time | python3 perf-build-threads.py PID [FIRST COUNT]
(every rebuild's length is printed; FIRST and COUNT choose the timed ones, default all).
"""
import collections
import re
import sys

replica = sys.argv[1]
line_format = re.compile(r"\s*(.*?)\s+(\d+)/(\d+)\s+([\d.]+):")
samples = []
for line in sys.stdin:
    m = line_format.match(line)
    if m:
        comm, pid, _, time = m.groups()
        samples.append((float(time), pid, re.sub(r"\d+$", "#", comm)))
samples.sort()

builder = [t for t, pid, name in samples if pid == replica and name.startswith("holdfast-build")]
if not builder:
    sys.exit("no samples of holdfast-build-N threads in process " + replica)
windows = [[builder[0], builder[0]]]
for t in builder[1:]:
    if t - windows[-1][1] > 0.08:
        windows.append([t, t])
    else:
        windows[-1][1] = t
print("%d rebuilds, ms: %s" % (len(windows), " ".join("%.0f" % ((e - s) * 1000) for s, e in windows)))
first = int(sys.argv[2]) if len(sys.argv) > 2 else 0
count = int(sys.argv[3]) if len(sys.argv) > 3 else len(windows)
chosen = windows[first:first + count]
print("chosen, ms: %s" % " ".join("%.0f" % ((e - s) * 1000) for s, e in chosen))

shares = collections.Counter()
i = 0
for start, end in chosen:
    while i < len(samples) and samples[i][0] < start:
        i += 1
    j = i
    while j < len(samples) and samples[j][0] <= end:
        _, pid, name = samples[j]
        where = "replica" if pid == replica else "idle" if pid == "0" else "pid " + pid
        shares[where + "  " + name] += 1
        j += 1
total = sum(shares.values())
for key, n in shares.most_common(15):
    print("%6d %5.1f%%  %s" % (n, 100 * n / total, key))
