"""Build the container image, run `prodready serve` in it, and time it to a healthy /healthz.

Run: .venv/bin/python bench/container.py [--base IMAGE] [--tag prodready:bench] [--timeout 60]
         [--network bridge|host] [--build-network default|host] [--no-cache] [--no-build]
Needs a running Docker engine. The container gets a throwaway RSA key made here, a dummy webhook secret and app
id (it never talks to GitHub). Checks that GET /healthz answers {"status": "ok"}, that the server runs as a
non-root user and can write its data directory, and that it stops cleanly on `docker stop` (SIGTERM).
Prints the image size, the seconds to build, to healthy and to stop. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

ROOT = Path(__file__).resolve().parents[1]


def docker(*args: str, check: bool = True, capture: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["docker", *args], check=check, capture_output=capture, text=True)


def throwaway_key() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def healthz(port: int) -> dict | None:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
            return json.load(response)
    except (OSError, ValueError):
        return None


def build(args: argparse.Namespace) -> float:
    command = ["build", "-t", args.tag]
    if args.base:
        command += ["--build-arg", f"BASE={args.base}"]
    if args.no_cache:
        command.append("--no-cache")
    if args.build_network != "default":
        command += ["--network", args.build_network]
    started = time.monotonic()
    done = docker(*command, str(ROOT), check=False, capture=False)
    if done.returncode != 0:
        sys.exit(f"docker build failed (exit {done.returncode})")
    return time.monotonic() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", help="base image (build argument BASE); default: the Dockerfile's")
    parser.add_argument("--tag", default="prodready:bench")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for a healthy /healthz")
    parser.add_argument("--network", choices=["bridge", "host"], help="default: bridge when the engine has one")
    parser.add_argument("--build-network", default="default", help="docker build --network (e.g. host)")
    parser.add_argument("--no-cache", action="store_true", help="docker build --no-cache, for a cold build time")
    parser.add_argument("--no-build", action="store_true", help="run the image already tagged --tag")
    args = parser.parse_args()

    build_seconds = None if args.no_build else build(args)
    size = int(docker("image", "inspect", "-f", "{{.Size}}", args.tag).stdout.strip())
    user = docker("image", "inspect", "-f", "{{.Config.User}}", args.tag).stdout.strip()

    has_bridge = docker("network", "inspect", "bridge", check=False).returncode == 0
    network = args.network or ("bridge" if has_bridge else "host")
    name = f"prodready-bench-{secrets.token_hex(4)}"
    env = {
        "GITHUB_APP_ID": "12345",
        "GITHUB_PRIVATE_KEY": throwaway_key(),
        "GITHUB_WEBHOOK_SECRET": secrets.token_hex(16),
    }
    run = ["run", "-d", "--name", name]
    if network == "host":
        port = free_port()
        env["PORT"] = str(port)
        run += ["--network", "host"]
    else:
        run += ["-p", "127.0.0.1::8080"]
    for key in env:
        run += ["-e", key]  # values come from the environment below, so the key is not on a command line

    started = time.monotonic()
    subprocess.run(["docker", *run, args.tag], check=True, capture_output=True, text=True, env={**os.environ, **env})
    try:
        if network != "host":
            port = int(docker("port", name, "8080/tcp").stdout.split(":")[-1])
        deadline = started + args.timeout
        body = None
        while time.monotonic() < deadline:
            body = healthz(port)
            if body is not None:
                break
            if docker("inspect", "-f", "{{.State.Running}}", name).stdout.strip() != "true":
                break
            time.sleep(0.1)
        healthy_seconds = time.monotonic() - started
        if body != {"status": "ok"}:
            print(docker("logs", name, check=False).stderr[-2000:], file=sys.stderr)
            sys.exit(f"/healthz did not answer ok within {args.timeout:.0f}s: {body!r}")

        exec_uid = docker("exec", name, "id", "-u").stdout.strip()
        status = docker("exec", name, "cat", "/proc/1/status").stdout
        server_uid = next(line.split()[1] for line in status.splitlines() if line.startswith("Uid:"))
        command = docker("exec", name, "cat", "/proc/1/cmdline").stdout.replace("\0", " ").strip()
        data = docker("exec", name, "ls", "-ln", "/data").stdout.strip().splitlines()[1:]
        if exec_uid == "0" or server_uid == "0":
            sys.exit(f"runs as root: docker exec id -u = {exec_uid}, PID 1 uid = {server_uid}")

        stop_started = time.monotonic()
        docker("stop", "-t", "20", name)
        stop_seconds = time.monotonic() - stop_started
        exit_code = docker("inspect", "-f", "{{.State.ExitCode}}", name).stdout.strip()
    finally:
        docker("rm", "-f", name, check=False)

    print(f"image {args.tag} (base {args.base or 'the Dockerfile default'}), user {user!r}")
    print(f"image size: {size / 1e6:.1f} MB")
    if build_seconds is not None:
        print(f"build: {build_seconds:.1f} s")
    print(f"network: {network}; /healthz answered {json.dumps(body)} {healthy_seconds:.2f} s after docker run")
    print(f"PID 1: {command!r} uid {server_uid}; docker exec id -u: {exec_uid}")
    print("data dir /data: " + ("; ".join(" ".join(line.split()[2:4] + line.split()[8:]) for line in data) or "empty"))
    print(f"docker stop: {stop_seconds:.2f} s, exit code {exit_code}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
