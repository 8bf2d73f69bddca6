#!/usr/bin/python3
"""Kernel speed as a Jupyter client sees it (jupyter_client), for the leakscope kernel and, as the peer measured
in the same run, ipykernel (python3):

  start → ready        KernelManager.start_kernel() until kernel_info_reply (wait_for_ready)
  start → first value  until the first trivial cell's result arrives (leakscope boots JShell in the background)
  trivial round trip   execute "1 + 1" → execute_reply and idle, median of N, after --settle seconds and 20 cells
  1 M-row table        a cell whose value is a 1,000,000-row Table (made in an earlier cell) → HTML + text result

Usage (kernelspec installed, e.g. ./leakscope kernel install --prefix /tmp/ls):
    JUPYTER_PATH=/tmp/ls/share/jupyter /usr/bin/python3 bench/kernel-bench.py [--starts 5] [--trips 200]
"""
import argparse
import os
import statistics
import time

from jupyter_client.manager import KernelManager


def wait_result(kc, msg_id, timeout=120):
    """Blocks until the reply and the idle status of msg_id; returns the execute_result data (or None)."""
    data = None
    idle = False
    reply = None
    deadline = time.time() + timeout
    while not (idle and reply):
        if not idle:
            m = kc.get_iopub_msg(timeout=deadline - time.time())
            if m["parent_header"].get("msg_id") != msg_id:
                continue
            if m["msg_type"] == "execute_result":
                data = m["content"]["data"]
            elif m["msg_type"] == "error":
                raise RuntimeError("\n".join(m["content"]["traceback"]))
            elif m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
                idle = True
        else:
            r = kc.get_shell_msg(timeout=deadline - time.time())
            if r["parent_header"].get("msg_id") == msg_id:
                reply = r
    return data


def run(kc, code, timeout=120):
    return wait_result(kc, kc.execute(code), timeout)


def start(name, settle=0):
    km = KernelManager(kernel_name=name)
    t0 = time.perf_counter()
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=120)
    ready = time.perf_counter() - t0
    time.sleep(settle)  # leakscope warms the JIT with throw-away snippets until the first cell
    run(kc, "1 + 1")
    first = time.perf_counter() - t0
    start.cpu = cpu_seconds(km)
    return km, kc, ready, first


def cpu_seconds(km):
    """User + system CPU seconds of the kernel process (and its threads) so far, from /proc."""
    pid = km.provisioner.process.pid
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def stop(km, kc):
    kc.stop_channels()
    km.shutdown_kernel(now=False)


def ms(xs):
    return f"median {statistics.median(xs) * 1000:8.1f} ms  min {min(xs) * 1000:8.1f}  max {max(xs) * 1000:8.1f}  (n={len(xs)})"


def bench(name, starts, trips, table_code, settle=0):
    readies, firsts, cpus = [], [], []
    for _ in range(starts):
        km, kc, ready, first = start(name)
        readies.append(ready)
        firsts.append(first)
        cpus.append(start.cpu)
        stop(km, kc)
    print(f"{name:10s} start → ready        {ms(readies)}")
    print(f"{name:10s} start → first value  {ms(firsts)}  kernel CPU until then: median {statistics.median(cpus):.2f} s")
    km, kc, _, _ = start(name, settle)
    try:
        for _ in range(20):
            run(kc, "1 + 1")
        rt = []
        c0 = cpu_seconds(km)
        for _ in range(trips):
            t0 = time.perf_counter()
            run(kc, "1 + 1")
            rt.append(time.perf_counter() - t0)
        cpu = (cpu_seconds(km) - c0) / trips
        print(f"{name:10s} trivial round trip   {ms(rt)}  p90 {sorted(rt)[int(len(rt) * 0.9)] * 1000:.1f} ms"
              f"  kernel CPU {cpu * 1000:.1f} ms/cell")
        if table_code:
            make, show = table_code
            run(kc, make, timeout=300)
            tt = []
            c0 = cpu_seconds(km)
            for _ in range(max(10, trips // 10)):
                t0 = time.perf_counter()
                data = run(kc, show)
                tt.append(time.perf_counter() - t0)
            cpu = (cpu_seconds(km) - c0) / len(tt)
            assert "text/html" in data and "1,000,000 rows" in data["text/html"], data.keys()
            print(f"{name:10s} 1 M-row table result {ms(tt)}  ({len(data['text/html'])} B of HTML)  kernel CPU {cpu * 1000:.1f} ms/cell")
    finally:
        stop(km, kc)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--starts", type=int, default=5)
    ap.add_argument("--trips", type=int, default=200)
    ap.add_argument("--no-peer", action="store_true")
    ap.add_argument("--settle", type=float, default=45, help="seconds to wait after start before the round trips")
    a = ap.parse_args()
    print("uptime:", os.popen("uptime").read().strip(), "| cpus:", os.cpu_count())
    bench("leakscope", a.starts, a.trips, (
        "var big = Table.create(\"big\", IntColumn.indexColumn(\"row\", 1_000_000, 0), "
        "DoubleColumn.create(\"rssMb\", java.util.stream.DoubleStream.iterate(0, x -> x + 0.5).limit(1_000_000).toArray()), "
        "StringColumn.create(\"label\", java.util.stream.IntStream.range(0, 1_000_000).mapToObj(i -> \"obj\" + (i % 97)).toArray(String[]::new)));",
        "big"), a.settle)
    if not a.no_peer:
        bench("python3", a.starts, a.trips, None, a.settle)
    print("uptime:", os.popen("uptime").read().strip())


if __name__ == "__main__":
    main()
