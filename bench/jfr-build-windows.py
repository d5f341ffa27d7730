"""Reads `jfr print --json --events jdk.ExecutionSample,jdk.GarbageCollection` of a replica
recorded during bench/push.sh (PUSH_BENCH_SERVER_OPTS="-XX:StartFlightRecording=...") and finds
its snapshot rebuilds: runs of execution samples under SnapshotHolder.refreshHoldingLock or
InstanceRenderer, closer than 0.3 s to each other. For each it prints its length, its samples and
the GC pause time inside it; then the last N (the timed publishes): the median length, the GC
pause total, and the methods found in most of their samples. How issue 21 found that a third of a
loaded replica's rebuild was young-collection pauses. Usage: ... | python3 jfr-build-windows.py [N]
"""
import collections
import datetime
import json
import re
import statistics
import sys

last_n = int(sys.argv[1]) if len(sys.argv) > 1 else 10
events = json.load(sys.stdin)["recording"]["events"]


def at(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def seconds(iso):  # ISO-8601 durations as jfr prints them: PT0.05S, PT1M2.5S
    m = re.fullmatch(r"PT(?:(\d+)M)?(?:([\d.]+)S)?", iso)
    return (int(m.group(1) or 0) * 60 + float(m.group(2) or 0)) if m else 0.0


pauses, samples = [], []
for event in events:
    values = event["values"]
    if event["type"] == "jdk.GarbageCollection":
        pauses.append((at(values["startTime"]), seconds(values.get("sumOfPauses", "PT0S"))))
    elif event["type"] == "jdk.ExecutionSample":
        frames = [f["method"]["type"]["name"].split("/")[-1] + "." + f["method"]["name"]
                  for f in values["stackTrace"]["frames"]]
        if any("refreshHoldingLock" in f or f.startswith("InstanceRenderer.") for f in frames):
            samples.append((at(values["startTime"]), frames))
samples.sort(key=lambda s: s[0])
windows = []
for time, frames in samples:
    if windows and time - windows[-1][1] < 0.3:
        windows[-1][1] = time
        windows[-1][2].append(frames)
    else:
        windows.append([time, time, [frames]])


def paused(window):
    return sum(p for t, p in pauses if window[0] - 0.05 <= t <= window[1] + 0.05)


for w in windows:
    print("rebuild %7.0f ms, %3d samples, GC pauses inside %4.0f ms"
          % ((w[1] - w[0]) * 1000, len(w[2]), paused(w) * 1000))
timed = windows[-last_n:]
print("last %d: median %.0f ms, GC pauses %.0f ms of %.0f ms, %d samples"
      % (len(timed), statistics.median((w[1] - w[0]) * 1000 for w in timed),
         sum(paused(w) for w in timed) * 1000, sum(w[1] - w[0] for w in timed) * 1000,
         sum(len(w[2]) for w in timed)))
total = collections.Counter()
count = 0
for w in timed:
    for frames in w[2]:
        count += 1
        total.update(set(frames))
for method, n in total.most_common(30):
    print("%5.1f%%  %s" % (100 * n / count, method))
