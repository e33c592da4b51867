#!/usr/bin/env python3
"""Checks that a file given by name reports what a scan of its directory reports in it:
`scripts/given-alone.py BINARY DIRECTORY...`.

For each directory below the DIRECTORYs holding files acr-lint reads, scans the directory, then
each of those files alone (as pre-commit and the language server do), both with `--show-unknown`
in the concise format, and compares the lines that point into the file. Prints each file whose
lines differ, with what is missing and what is extra when it is given alone, and exits 1 if any
does. A directory's scan reads its subdirectories too and a given file only its own directory, so
a file called from a subdirectory (a Bicep module with its deployment in `tests/`) differs by
design, and so does a template given alone that parameters files elsewhere in the repository name
in `metadata.template` (a scan of its directory does not see them).
"""

import os
import subprocess
import sys

READ = (".tf", ".tfvars", ".json", ".jsonc", ".bicep", ".bicepparam", ".yaml", ".yml")


def finding_lines(binary, arguments, directory):
    """The concise report's finding lines of a scan run in `directory`."""
    run = subprocess.run(
        [binary, *arguments, "-f", "concise", "--show-unknown"],
        cwd=directory,
        capture_output=True,
        text=True,
        check=False,
    )
    return {line for line in run.stdout.splitlines() if ": " in line and "[" in line}


def differences(binary, directory, names):
    """The files among `names` whose lines differ given alone, with the missing and extra ones."""
    whole = finding_lines(binary, ["."], directory)
    for name in sorted(names):
        prefix = name + ":"
        expected = {line for line in whole if line.startswith(prefix)}
        alone = {line for line in finding_lines(binary, [name], directory) if line.startswith(prefix)}
        if expected != alone:
            yield name, sorted(expected - alone), sorted(alone - expected)


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    binary = os.path.realpath(sys.argv[1])
    checked = differing = 0
    for root in sys.argv[2:]:
        for directory, _, files in sorted(os.walk(root)):
            names = [f for f in files if f.endswith(READ)]
            checked += len(names)
            for name, missing, extra in differences(binary, directory, names):
                differing += 1
                print(f"DIFFERENT: {os.path.join(directory, name)}")
                for line in missing[:3]:
                    print(f"  only in the directory's scan: {line[:160]}")
                for line in extra[:3]:
                    print(f"  only given alone:             {line[:160]}")
    print(f"{checked} files given alone; {differing} differ from their directory's scan")
    sys.exit(1 if differing else 0)


if __name__ == "__main__":
    main()
