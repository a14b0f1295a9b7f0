#!/usr/bin/env python3
"""The viewer tests' decision when a tool is missing: skipped (77) normally, failed (1)
with CI set, so a CI machine without Xvfb, xdotool or ImageMagick cannot pass by skipping.
The decision function on its own, then viewer_test.py itself run with a PATH that holds
none of the tools."""

import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from viewer_harness import SKIP, TOOLS, in_ci, missing_tools, tools_verdict  # noqa: E402


class Decision(unittest.TestCase):
    def test_ci_values(self):
        for value in ("true", "TRUE", "1", "yes"):
            self.assertTrue(in_ci({"CI": value}), value)
        for env in ({}, {"CI": ""}, {"CI": "false"}, {"CI": "0"}, {"CI": "no"}):
            self.assertFalse(in_ci(env), env)

    def test_nothing_missing_runs(self):
        self.assertEqual(tools_verdict([], {"CI": "true"}), (None, ""))
        self.assertEqual(tools_verdict([], {}), (None, ""))

    def test_missing_skips_without_ci_and_fails_with_it(self):
        code, message = tools_verdict(["xdotool"], {})
        self.assertEqual(code, SKIP)
        self.assertIn("skipped", message)
        self.assertIn("xdotool", message)
        code, message = tools_verdict(["xdotool"], {"CI": "true"})
        self.assertEqual(code, 1)
        self.assertIn("FAIL", message)
        self.assertIn("xdotool", message)

    def test_missing_tools_asks_for_each(self):
        self.assertEqual(missing_tools(lambda t: None), list(TOOLS))
        self.assertEqual(missing_tools(lambda t: None if t == "xdotool" else "/usr/bin/" + t), ["xdotool"])


class ViewerTestWithoutTools(unittest.TestCase):
    """viewer_test.py with an empty folder as PATH: the case stops before any bcmap starts."""

    def run_case(self, ci):
        with tempfile.TemporaryDirectory() as empty:
            env = {k: v for k, v in os.environ.items() if k != "CI"}
            env["PATH"] = empty
            if ci is not None:
                env["CI"] = ci
            return subprocess.run([sys.executable, os.path.join(HERE, "viewer_test.py"), "--bcmap", "/nonexistent",
                                   "--work", os.path.join(empty, "work"), "hover"],
                                  env=env, capture_output=True, text=True, timeout=60)

    def test_skips_without_ci(self):
        r = self.run_case(None)
        self.assertEqual(r.returncode, SKIP, r.stdout + r.stderr)
        self.assertIn("skipped: not installed: Xvfb xdotool", r.stdout)

    def test_fails_with_ci(self):
        r = self.run_case("true")
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn("FAIL: not installed: Xvfb xdotool", r.stdout)


if __name__ == "__main__":
    unittest.main()
