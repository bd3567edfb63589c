"""`ltnb convert` against Jupyter's own tools: nbformat validates what it writes, and
`jupyter nbconvert --to html --execute` runs an .ipynb made from notebooks/tour.ltnb through
the ltnb kernel and renders its figures, tables and the cell that is allowed to fail.
LTNB names the ltnb binary; JUPYTER_PATH holds its kernelspec (scripts/jupyter-tests.sh).
"""
import base64
import json
import re
import shutil
import os
import subprocess
import sys
import tempfile
import unittest

import nbformat

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LTNB = os.environ.get("LTNB", os.path.join(ROOT, ".build", "debug", "ltnb"))
TOUR = os.path.join(ROOT, "notebooks", "tour.ltnb")


def ltnb(*args):
    return subprocess.run([LTNB, *args], capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL)


class ConvertTests(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="ltnb-nbconvert-")
        self.addCleanup(shutil.rmtree, self.dir, ignore_errors=True)

    def path(self, name):
        return os.path.join(self.dir, name)

    def test_nbconvert_executes_the_tour_through_the_kernel(self):
        p = ltnb("convert", TOUR, "--to", "ipynb", "-o", self.path("tour.ipynb"))
        self.assertEqual(p.returncode, 0, p.stderr)
        nb = nbformat.read(self.path("tour.ipynb"), as_version=4)
        nbformat.validate(nb)
        self.assertEqual(nb.metadata.kernelspec.name, "ltnb")
        p = subprocess.run(
            [sys.executable, "-m", "jupyter", "nbconvert", "--to", "html", "--execute",
             "--ExecutePreprocessor.timeout=600", self.path("tour.ipynb"), "--output-dir", self.dir],
            capture_output=True, text=True, timeout=900, stdin=subprocess.DEVNULL)
        self.assertEqual(p.returncode, 0, p.stderr[-3000:])
        with open(self.path("tour.html"), encoding="utf-8") as f:
            html = f.read()
        self.assertIn("model clip reaches 71.2 %", html)        # print, as a stream
        # The bar chart, as image/svg+xml: nbconvert inlines it as a base64 data URL.
        self.assertIn('data-mime-type="image/svg+xml"', html)
        svgs = [base64.b64decode(m).decode("utf-8") for m in re.findall(r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"', html)]
        self.assertTrue(any("<rect" in s and "class rank" in s for s in svgs), "the figure's SVG is not in the page")
        self.assertIn("Training samples per class", html)       # its caption, from the prose
        self.assertIn("<table", html)                           # tbl-tour, as text/html
        self.assertIn("cannot be multiplied", html)             # the error: true cell, in place

    def test_execute_keeps_outputs_and_round_trips(self):
        p = ltnb("convert", TOUR, "--to", "ipynb", "--execute", "-o", self.path("run.ipynb"))
        self.assertEqual(p.returncode, 0, p.stderr)
        nb = nbformat.read(self.path("run.ipynb"), as_version=4)
        nbformat.validate(nb)
        kinds = {o.output_type for c in nb.cells if c.cell_type == "code" for o in c.outputs}
        self.assertTrue({"stream", "execute_result", "display_data", "error"} <= kinds, kinds)
        mimes = {m for c in nb.cells if c.cell_type == "code" for o in c.outputs if "data" in o for m in o.data}
        self.assertTrue({"image/svg+xml", "text/html", "text/plain"} <= mimes, mimes)
        failing = [c for c in nb.cells if "raises-exception" in c.metadata.get("tags", [])]
        self.assertEqual(len(failing), 1)
        p = ltnb("convert", self.path("run.ipynb"), "--to", "ltnb", "-o", self.path("back.ltnb"))
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(TOUR, encoding="utf-8") as a, open(self.path("back.ltnb"), encoding="utf-8") as b:
            self.assertEqual(a.read(), b.read())

    def test_options_in_metadata_become_option_lines(self):
        nb = nbformat.v4.new_notebook()
        cell = nbformat.v4.new_code_cell("x = 1\nx + 1")
        cell.metadata["ltnb"] = {"options": {"label": "fig-x", "echo": False, "fig-width": 400}}
        nb.cells = [nbformat.v4.new_markdown_cell("# Title"), cell]
        nbformat.write(nb, self.path("m.ipynb"))
        p = ltnb("convert", self.path("m.ipynb"), "-o", self.path("m.ltnb"))
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(self.path("m.ltnb"), encoding="utf-8") as f:
            text = f.read()
        self.assertEqual(text, "# Title\n\n```ltnb\n#| echo: false\n#| fig-width: 400\n#| label: fig-x\nx = 1\nx + 1\n```\n")
        p = ltnb("check", self.path("m.ltnb"))
        self.assertEqual(p.returncode, 0, p.stderr)

    def test_bad_ipynb_gets_a_clear_error(self):
        cases = {
            "notjson.ipynb": ("{oops", "not valid JSON"),
            "list.ipynb": ("[1, 2]", "top level is not a JSON object"),
            "v3.ipynb": (json.dumps({"nbformat": 3, "worksheets": []}), "nbformat 3 is not supported"),
            "nocells.ipynb": (json.dumps({"nbformat": 4}), "'cells' is missing"),
            "badsource.ipynb": (json.dumps({"nbformat": 4, "cells": [{"cell_type": "code", "source": 5}]}), "cell 1: 'source'"),
            "badtype.ipynb": (json.dumps({"nbformat": 4, "cells": [{"cell_type": "widget", "source": ""}]}), "unknown cell_type"),
        }
        for name, (content, message) in cases.items():
            with self.subTest(name=name):
                with open(self.path(name), "w", encoding="utf-8") as f:
                    f.write(content)
                p = ltnb("convert", self.path(name), "--to", "ltnb")
                self.assertEqual(p.returncode, 2, p.stderr)
                self.assertIn(message, p.stderr)
                self.assertIn(name, p.stderr)
                self.assertNotIn("Fatal error", p.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
