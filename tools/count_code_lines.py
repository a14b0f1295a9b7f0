#!/usr/bin/env python3
"""Lines of code of the plugin template and the shipped layers, now and at an older commit.

A line counts when something other than a comment or white space is on it: // and /* */
comments are removed first (not inside string or character literals, raw strings
included), then blank lines are dropped. This is the measure issue 9 sets its goals in
(the template and every layer that reads one file: at most 60 lines; the layers that
aggregate: at most half of what they were before the SDK wrapper).

    tools/count_code_lines.py                  # the table, "before" = the default commit
    tools/count_code_lines.py --before REV     # another commit to compare with
    tools/count_code_lines.py FILE...          # just count these files
"""
import argparse
import os
import re
import subprocess
import sys

# The commit before the first layer was rewritten with MapLayer (7bde090, "safe_water,
# ecommerce_stations, townships: written with MapLayer"): the SDK wrapper had landed, no
# layer used it yet. `git log --oneline -- plugins/` finds it.
DEFAULT_BEFORE = "ff5134f"
# Layers that read rows and aggregate them into features of their own; the rest read one
# file straight into the layer (or pass its rows on one to one).
AGGREGATING = {"water_coverage", "poverty_exit", "poor_villages"}
ONE_FILE_LIMIT = 60


def strip_comments(text):
    """The text with every comment replaced by a space (newlines inside kept)."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            end = n if j < 0 else j + 2
            out.append(" " + "\n" * text.count("\n", i, end))
            i = end
        elif c == "R" and re.match(r'R"([^()\\ ]{0,16})\(', text[i:i + 20]) and not (i > 0 and (text[i - 1].isalnum() or text[i - 1] == "_")):
            m = re.match(r'R"([^()\\ ]{0,16})\(', text[i:])
            close = ")" + m.group(1) + '"'
            j = text.find(close, i + m.end())
            end = n if j < 0 else j + len(close)
            out.append(text[i:end])
            i = end
        elif c in "\"'":
            # A character literal after a digit is a digit separator (1'000): not a quote.
            if c == "'" and i > 0 and text[i - 1].isalnum():
                out.append(c)
                i += 1
                continue
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            out.append(text[i:j + 1])
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def count_lines(text):
    return sum(1 for line in strip_comments(text).splitlines() if line.strip())


def file_at(rev, path):
    try:
        return subprocess.run(["git", "show", f"{rev}:{path}"], check=True, capture_output=True,
                              text=True).stdout
    except subprocess.CalledProcessError:
        return None


def layer_files(root):
    files = ["plugins/template/template.cpp"]
    plugins = os.path.join(root, "plugins")
    for name in sorted(os.listdir(plugins)):
        if name in ("sdk", "template"):
            continue
        path = f"plugins/{name}/{name}.cpp"
        if os.path.exists(os.path.join(root, path)):
            files.append(path)
    return files


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="*", help="count just these files")
    ap.add_argument("--before", default=DEFAULT_BEFORE, help="the commit to compare with")
    args = ap.parse_args()
    if args.files:
        for path in args.files:
            with open(path, encoding="utf-8") as f:
                print(f"{count_lines(f.read()):5d}  {path}")
        return 0
    root = subprocess.run(["git", "rev-parse", "--show-toplevel"], check=True, capture_output=True,
                          text=True).stdout.strip()
    os.chdir(root)
    print(f"| file | before ({args.before}) | after | goal | met |")
    print("|---|---:|---:|---|---|")
    missed = 0
    for path in layer_files(root):
        name = path.split("/")[1]
        with open(path, encoding="utf-8") as f:
            after = count_lines(f.read())
        old = file_at(args.before, path)
        before = count_lines(old) if old is not None else None
        if name in AGGREGATING and before is not None:
            goal, met = f"<= {before // 2} (half)", after <= before // 2
        else:
            goal, met = f"<= {ONE_FILE_LIMIT}", after <= ONE_FILE_LIMIT
        missed += not met
        print(f"| {path} | {before if before is not None else '-'} | {after} | {goal} | {'yes' if met else 'NO'} |")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
