#!/usr/bin/env python3
"""Times commands side by side: `scripts/interleave.py RUNS COMMAND...`.

Each COMMAND is one shell-quoted string, optionally led by NAME=VALUE environment settings
(`"PACK=1 target/release/examples/parse_only ../shared/bench/synthetic"`). The commands run in
turn, RUNS rounds, so that a machine that slows down or speeds up during the measurement weighs
on every command alike. For each command it prints the best and median wall time, and the median
CPU, user and system time of the process and its children (getrusage), and the ratio of its
median wall and CPU time to those of the first command. Output and exit codes are ignored.
"""

import os
import resource
import shlex
import statistics
import subprocess
import sys
import time


def split_environment(command):
    """The command's arguments, and the environment with its NAME=VALUE settings applied."""
    words = shlex.split(command)
    environment = dict(os.environ)
    while words and "=" in words[0] and not words[0].startswith(("/", ".")):
        name, value = words.pop(0).split("=", 1)
        environment[name] = value
    return words, environment


def run_once(words, environment):
    """Wall, user and system seconds of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        words,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=environment,
        check=False,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime, after.ru_stime - before.ru_stime


def main(arguments):
    if len(arguments) < 2 or not arguments[0].isdigit():
        print(__doc__.strip().splitlines()[0], file=sys.stderr)
        return 2
    rounds = int(arguments[0])
    commands = arguments[1:]
    parsed = [split_environment(command) for command in commands]
    samples = {command: [] for command in commands}
    for _ in range(rounds):
        for command, (words, environment) in zip(commands, parsed):
            samples[command].append(run_once(words, environment))

    def ms(seconds):
        return f"{seconds * 1000:8.1f}"

    print(f"{'best wall':>9} {'med wall':>8} {'med CPU':>8} {'med user':>8} {'med sys':>8}"
          f" {'wall x':>6} {'CPU x':>6}  command (ms, {rounds} rounds)")
    first_wall = first_cpu = None
    for command in commands:
        walls = [wall for wall, _, _ in samples[command]]
        cpus = [user + system for _, user, system in samples[command]]
        users = [user for _, user, _ in samples[command]]
        systems = [system for _, _, system in samples[command]]
        median_wall, median_cpu = statistics.median(walls), statistics.median(cpus)
        if first_wall is None:
            first_wall, first_cpu = median_wall, median_cpu
        print(f"{ms(min(walls)):>9} {ms(median_wall)} {ms(median_cpu)}"
              f" {ms(statistics.median(users))} {ms(statistics.median(systems))}"
              f" {median_wall / first_wall:6.2f} {median_cpu / first_cpu:6.2f}  {command}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
