#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# The writer of bench/http/live-core-bench: signs in as a demo rep and writes at a steady
# rate for a while, mixing the kinds of writes reps make all day (a deal's amount, its stage or
# close date, a logged call on a deal, a scorecard answer), each through the REST API. After
# each write a second session (the executive, who did not write) reads /api/v1/audit until its
# X-Salesbox-Data-Version reaches the write's (polled every 5 ms on its own thread, so the
# writes keep their rate): that delay is the write-to-fresh-audit latency (--watch forecast: the
# executive's forecast page, whose roll-up and P10/P50/P90 must follow the write).
# Prints one line: writes=.. non2xx=.. fresh_p50_ms=.. fresh_p99_ms=.. fresh_max_ms=..
# Usage: live_writer.py URL --rate 5 --duration 60 [--watch audit|forecast]
import argparse
import http.client
import json
import random
import sys
import threading
import time
import urllib.parse

WRITER = "anders.nielsen@demo.salesbox.example"  # a rep of the manager who reads
EXECUTIVE = "peter.lund@demo.salesbox.example"
PASSWORD = "salesbox-demo"


class Session:
    def __init__(self, url, email):
        parts = urllib.parse.urlsplit(url)
        self.conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        self.cookie = ""
        self.csrf = ""
        status, body, headers = self.call("POST", "/api/v1/session",
                                          {"email": email, "password": PASSWORD})
        if status != 200:
            sys.exit(f"live_writer: sign-in of {email} failed: {status} {body}")
        self.csrf = body["csrf_token"]

    def call(self, method, path, body=None, parse=True):
        headers = {"Content-Type": "application/json"}
        if self.cookie:
            headers["Cookie"] = self.cookie
        if self.csrf and method != "GET":
            headers["X-CSRF-Token"] = self.csrf
        self.conn.request(method, path, json.dumps(body) if body is not None else None, headers)
        response = self.conn.getresponse()
        data = response.read()
        for key, value in response.getheaders():
            if key.lower() == "set-cookie" and value.startswith("sb_session="):
                self.cookie = value.split(";")[0]
        parsed = None
        try:
            if parse and data:
                parsed = json.loads(data)
        except ValueError:
            pass
        return response.status, parsed, {k.lower(): v for k, v in response.getheaders()}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--rate", type=float, default=5)
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--watch", choices=["audit", "forecast"], default="audit",
                        help="the executive's page polled until each write shows")
    args = parser.parse_args()
    watched = "/api/v1/audit" if args.watch == "audit" else "/api/v1/forecast?limit=50"
    url = args.url.rstrip("/")
    writer = Session(url, WRITER)
    reader = Session(url, EXECUTIVE)
    rng = random.Random(42)
    status, page, _ = writer.call("GET", "/api/v1/opportunities?limit=500&stage=qualify,discover,propose,negotiate,commit")
    if status != 200 or not page["items"]:
        sys.exit(f"live_writer: no open deals to write to: {status}")
    deals = {d["id"]: d for d in page["items"]}
    status, scorecard_page, _ = writer.call("GET", "/api/v1/audit/items?subject_type=opportunity&limit=1")
    criteria = []
    if status == 200 and scorecard_page["items"]:
        first = scorecard_page["items"][0]["id"]
        status, card, _ = writer.call("GET", f"/api/v1/audit/scorecard?subject_type=opportunity&id={first}")
        if status == 200:
            for area in card.get("areas", []):
                for c in area.get("criteria", []):
                    if not c.get("auto"):
                        criteria.append(c["id"])
    stages = ["qualify", "discover", "propose", "negotiate", "commit"]
    writes = non2xx = 0
    fresh = []
    pending = []  # (data version of a write, when it was answered)
    lock = threading.Lock()
    done = threading.Event()

    def check():  # the other user's audit, polled until each write shows
        nonlocal non2xx
        while not (done.is_set() and not pending):
            # Only the header matters: parsing every answer would take a core's share from
            # the server on a 2-core machine and lower the measured read throughput.
            status, _, got = reader.call("GET", watched, parse=False)
            now = time.monotonic()
            if status != 200:
                with lock:
                    non2xx += 1
            seen = int(got.get("x-salesbox-data-version", "0"))
            with lock:
                while pending and pending[0][0] <= seen:
                    fresh.append((now - pending.pop(0)[1]) * 1000)
                while pending and now - pending[0][1] > 10:
                    fresh.append(10_000)
                    pending.pop(0)
            time.sleep(0.005)

    checker = threading.Thread(target=check)
    checker.start()
    start = time.monotonic()
    next_at = start
    while time.monotonic() - start < args.duration:
        now = time.monotonic()
        if now < next_at:
            time.sleep(next_at - now)
        next_at += 1.0 / args.rate
        deal_id = rng.choice(list(deals))
        deal = deals[deal_id]
        kind = writes % 4
        if kind == 0:
            status, body, headers = writer.call("PATCH", f"/api/v1/opportunities/{deal_id}",
                                                {"version": deal["version"],
                                                 "amount": rng.randint(10, 900) * 1000})
        elif kind == 1:
            status, body, headers = writer.call("PATCH", f"/api/v1/opportunities/{deal_id}",
                                                {"version": deal["version"],
                                                 "stage": rng.choice(stages)})
        elif kind == 2:
            status, body, headers = writer.call("POST", "/api/v1/activities",
                                                {"type": "call", "status": "completed",
                                                 "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                                                 "opportunity_id": deal_id,
                                                 "account_id": deal.get("account_id"),
                                                 "outcome": "Reached", "notes": "bench"})
        elif criteria:
            status, body, headers = writer.call("POST", "/api/v1/audit/answers",
                                                {"subject_type": "opportunity", "subject_id": deal_id,
                                                 "criterion_id": rng.choice(criteria),
                                                 "answer": rng.choice(["yes", "no"])})
        else:
            status, body, headers = writer.call("PATCH", f"/api/v1/opportunities/{deal_id}",
                                                {"version": deal["version"], "next_step": "Call"})
        answered = time.monotonic()
        writes += 1
        if status >= 300:
            with lock:
                non2xx += 1
            print(f"live_writer: {status} {body}", file=sys.stderr)
            status, again, _ = writer.call("GET", f"/api/v1/opportunities/{deal_id}")
            if status == 200:
                deals[deal_id] = again
            continue
        if isinstance(body, dict) and "version" in body and body.get("id") == deal_id:
            deals[deal_id] = body
        with lock:
            pending.append((int(headers.get("x-salesbox-data-version", "0")), answered))
    elapsed = time.monotonic() - start
    done.set()
    checker.join()
    fresh.sort()
    pick = lambda q: fresh[min(len(fresh) - 1, int(q * len(fresh)))] if fresh else float("nan")
    print(f"writes={writes} non2xx={non2xx} rate={writes / elapsed:.2f}/s "
          f"fresh_p50_ms={pick(0.5):.1f} fresh_p99_ms={pick(0.99):.1f} "
          f"fresh_max_ms={fresh[-1] if fresh else float('nan'):.1f}")


if __name__ == "__main__":
    main()
