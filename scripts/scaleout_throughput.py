#!/usr/bin/env python3
"""Throughput of the scale-out: runs per hour with one worker process and with two, side by side in one session.

Starts, for each worker count, a fresh PostgreSQL database, one web process that runs no jobs and the worker
processes (README "Scaling out"), queues the same runs of the fixture CNN through the HTTP API and times them from the
first queued to the last finished. Needs the built app (dotnet build -c Release), a PostgreSQL server and a role that
may create databases, given as WSW_POSTGRES in Npgsql form (Host=...;Username=...;Password=...;Database=postgres) and
reachable with psql. Standard library only.

    WSW_POSTGRES="Host=127.0.0.1;Username=wsw;Password=wsw;Database=postgres" python3 scripts/scaleout_throughput.py --runs 6
"""
import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "tests", "fixtures", "out")


def npgsql_to_env(connection):
    parts = dict(p.split("=", 1) for p in connection.split(";") if p)
    env = dict(os.environ)
    env.update(PGHOST=parts.get("Host", "localhost"), PGPORT=parts.get("Port", "5432"), PGUSER=parts.get("Username", ""),
               PGPASSWORD=parts.get("Password", ""), PGDATABASE=parts.get("Database", "postgres"))
    return env


def psql(connection, sql):
    subprocess.run(["psql", "-q", "-c", sql], check=True, env=npgsql_to_env(connection))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(method, url, body=None, content_type=None):
    data = body if body is None or isinstance(body, bytes) else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method)
    if content_type or body is not None:
        req.add_header("Content-Type", content_type or "application/json")
    with urllib.request.urlopen(req, timeout=120) as answer:
        return json.loads(answer.read() or b"null")


def multipart(files, fields):
    boundary = uuid.uuid4().hex
    out = b""
    for name, (filename, content) in files:
        out += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\n"
                "Content-Type: application/octet-stream\r\n\r\n").encode() + content + b"\r\n"
    for name, value in fields.items():
        out += f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n".encode()
    return out + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def read(name):
    with open(os.path.join(FIXTURES, name), "rb") as f:
        return f.read()


def measure(app, admin, workers, runs, generations):
    database = "wsw_bench_" + uuid.uuid4().hex[:10]
    psql(admin, f"CREATE DATABASE {database}")
    connection = ";".join(p for p in admin.split(";") if p and not p.startswith("Database=")) + f";Database={database}"
    shared = tempfile.mkdtemp(prefix="wsw-bench-")
    port = free_port()
    base = dict(os.environ, ASPNETCORE_ENVIRONMENT="Production", WeightShare__Storage="PostgreSql",
                WeightShare__PostgreSqlConnection=connection, WeightShare__DataDirectory=os.path.join(shared, "data"),
                WeightShare__QueuePollInterval="00:00:01")
    processes = []
    try:
        processes.append(subprocess.Popen(["dotnet", app], cwd=os.path.dirname(app), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                          env=dict(base, ASPNETCORE_URLS=f"http://127.0.0.1:{port}", WeightShare__WorkerCount="0")))
        url = f"http://127.0.0.1:{port}"
        for _ in range(240):
            try:
                urllib.request.urlopen(url + "/health", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        body, kind = multipart([("file", ("fmnist_cnn.pt", read("fmnist_cnn.pt")))], {})
        model = request("POST", url + "/api/models", body, kind)["id"]
        body, kind = multipart([("file", ("eval-images-idx3-ubyte.gz", read("eval-images-idx3-ubyte.gz"))),
                                ("file", ("eval-labels-idx1-ubyte.gz", read("eval-labels-idx1-ubyte.gz")))],
                               {"preprocessing": '{"scale":0.00392156862745098,"mean":[0.286],"std":[0.353]}'})
        dataset = request("POST", url + "/api/datasets", body, kind)["id"]
        ids = [request("POST", url + "/api/runs", {
            "modelId": model, "datasetId": dataset, "codec": "paper", "validationSamples": 300,
            "search": {"population": 8, "generations": generations, "kMin": 2, "kMax": 1024, "seed": seed}})["id"]
            for seed in range(1, runs + 1)]
        start = time.monotonic()
        for i in range(workers):
            processes.append(subprocess.Popen(["dotnet", app], cwd=os.path.dirname(app), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                              env=dict(base, WeightShare__Role="Worker", WeightShare__WorkerName=f"worker-{i + 1}")))
        while True:
            states = [request("GET", f"{url}/api/runs/{i}") for i in ids]
            if any(s["status"] in ("Failed", "Canceled") for s in states):
                sys.exit(f"a run did not succeed: {[s for s in states if s['status'] in ('Failed', 'Canceled')]}")
            if all(s["status"] == "Succeeded" for s in states):
                break
            time.sleep(0.5)
        seconds = time.monotonic() - start
        return seconds, sorted({s["worker"] for s in states})
    finally:
        for p in processes:
            p.kill()
            p.wait()
        shutil.rmtree(shared, ignore_errors=True)
        psql(admin, f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=6)
    parser.add_argument("--generations", type=int, default=6)
    parser.add_argument("--configuration", default="Release")
    args = parser.parse_args()
    admin = os.environ.get("WSW_POSTGRES") or sys.exit("Set WSW_POSTGRES (see the docstring).")
    app = os.path.join(ROOT, "src", "Web", "bin", args.configuration, "net10.0", "WeightShare.Web.dll")
    if not os.path.exists(app):
        sys.exit(f"{app} is missing: dotnet build -c {args.configuration} src/Web")
    print(f"{args.runs} paper-codec runs of the fixture CNN (population 8, {args.generations} generations, k 2..1024, 300 validation samples), {os.cpu_count()} cores")
    print("| Workers | Wall time (s) | Runs per hour | Workers that ran runs |")
    print("|---|---|---|---|")
    for workers in (1, 2):
        seconds, names = measure(app, admin, workers, args.runs, args.generations)
        print(f"| {workers} | {seconds:.1f} | {3600 * args.runs / seconds:.0f} | {', '.join(names)} |", flush=True)


if __name__ == "__main__":
    main()
