#!/usr/bin/env python3
"""N participants press start at the same moment: a lean client (one thread, connections opened beforehand) so that
the latencies are the server's, not a load generator's. Prints when all were answered and the p50/p99/max latency.

usage: python3 scripts/bench/start-burst.py [N=200] [URL=http://127.0.0.1:8080] [STUDY=1]
The study must be open and its start limits raised above N (SAG_STUDY_STARTS_PER_ADDRESS, SAG_STUDY_STARTS_STUDY_BURST,
as scripts/bench/launch.sh sets them)."""
import asyncio
import json
import random
import sys
import time
from urllib.parse import urlparse

N = int(sys.argv[1]) if len(sys.argv) > 1 else 200
URL = urlparse(sys.argv[2] if len(sys.argv) > 2 else "http://127.0.0.1:8080")
STUDY = sys.argv[3] if len(sys.argv) > 3 else "1"
RUN = "%x" % int(time.time() * 1000)


async def start(number, go, results):
    reader, writer = await asyncio.open_connection(URL.hostname, URL.port or 80)
    body = json.dumps({"PROLIFIC_PID": f"burst-{RUN}-{number}"}).encode()
    # a participant address of its own, as at a real launch (the server trusts X-Forwarded-For from its own machine)
    address = f"10.{random.randint(0, 255)}.{random.randint(0, 255)}.{random.randint(1, 254)}"
    request = (f"POST /api/studies/{STUDY}/sessions HTTP/1.1\r\nHost: {URL.hostname}\r\n"
               f"Content-Type: application/json\r\nX-Requested-With: start-burst\r\nX-Forwarded-For: {address}\r\n"
               f"Content-Length: {len(body)}\r\n\r\n").encode() + body
    await go.wait()
    began = time.perf_counter()
    writer.write(request)
    await writer.drain()
    status = (await reader.readline()).split()[1].decode()
    length = 0
    while (line := await reader.readline()) not in (b"\r\n", b""):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    await reader.readexactly(length)
    results.append((time.perf_counter() - began, status))
    writer.close()


async def main():
    go, results = asyncio.Event(), []
    starts = [asyncio.create_task(start(i, go, results)) for i in range(N)]
    await asyncio.sleep(1.0)
    began = time.perf_counter()
    go.set()
    await asyncio.gather(*starts)
    total = time.perf_counter() - began
    seconds = sorted(latency for latency, _ in results)
    statuses = {}
    for _, status in results:
        statuses[status] = statuses.get(status, 0) + 1
    print(f"{N} starts at once: all answered in {total * 1000:.0f} ms; p50 {seconds[len(seconds) // 2] * 1000:.0f} ms, "
          f"p99 {seconds[max(0, int(len(seconds) * 0.99) - 1)] * 1000:.0f} ms, max {seconds[-1] * 1000:.0f} ms; "
          f"statuses {statuses}")
    return 0 if set(statuses) == {"201"} else 1


sys.exit(asyncio.run(main()))
