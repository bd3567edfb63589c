"""ltnb's Jupyter kernel against the Jupyter project's own clients.

LtnbKernelTests subclasses jupyter_kernel_test.KernelTests (the conformance suite) with ltnb
samples; KernelBehaviourTests covers what the suite does not: signatures, malformed
messages, interrupts (control channel and SIGINT, in a loop and mid-finetune), a second
kernel on the same connection file, restart, and which address the sockets listen on.
Run by scripts/jupyter-tests.sh with JUPYTER_PATH pointing at a kernelspec it installed.
"""
import hashlib
import hmac
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import unittest
import uuid

import jupyter_kernel_test as jkt
import zmq
from jupyter_client.manager import start_new_kernel

TIMEOUT = 30
# The kernels' stderr (their log: dropped messages, start and stop) goes to a file that
# scripts/jupyter-tests.sh shows when a test fails.
KERNEL_LOG = open(os.environ.get("LTNB_KERNEL_LOG", os.devnull), "a")


def start_kernel():
    return start_new_kernel(kernel_name="ltnb", stderr=KERNEL_LOG)


class LtnbKernelTests(jkt.KernelTests):
    kernel_name = "ltnb"
    language_name = "ltnb"
    file_extension = ".lt"

    code_hello_world = 'print("hello, world")'
    # ltnb code has no way to write to stderr: print goes to stdout, errors are error messages.
    code_stderr = ""

    completion_samples = [
        {"text": "fmt(3.14, di", "matches": {"digits:"}},
        {"text": "zeros_li", "matches": set()},
        {"text": "logsum", "matches": set()},
        {"text": "softm", "matches": {"softmax"}},
    ]
    complete_code_samples = ["x = 1", "fn f(a) { a }", "[1, 2,\n 3]", ""]
    incomplete_code_samples = ["f(1,", "fn g(a) {", "x = [1, 2,", '"open string']
    invalid_code_samples = ["x = )", "1 +* 2", "]", "fn f() { ) }"]

    code_generate_error = 'error("boom")'
    code_execute_result = [
        {"code": "1 + 2", "result": "3"},
        {"code": '"a" + "b"', "result": '"ab"'},
        {"code": "[1, 2.5, nil]", "result": "[1, 2.5, nil]"},
        {"code": 'table([{model: "clip", acc: 0.71}])', "mime": "text/markdown"},
    ]
    code_display_data = [
        {"code": 'bar(["a", "b"], [3, 1])', "mime": "image/svg+xml"},
        {"code": 'show(bar(["a", "b"], [3, 1])); 1', "mime": "image/svg+xml"},
        {"code": 'show(table([{model: "clip", acc: 0.71}]))', "mime": "text/html"},
    ]
    code_history_pattern = "1 + *"
    supported_history_operations = ("tail", "range", "search")
    code_inspect_sample = "zeros"

    @classmethod
    def setUpClass(cls):
        cls.km, cls.kc = start_kernel()


def sign(key, parts):
    mac = hmac.new(key, digestmod=hashlib.sha256)
    for p in parts:
        mac.update(p)
    return mac.hexdigest().encode()


class KernelBehaviourTests(unittest.TestCase):
    def setUp(self):
        self.km, self.kc = start_kernel()
        self.info = self.km.get_connection_info()

    def tearDown(self):
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)

    def run_cell(self, code, timeout=TIMEOUT):
        outputs = []
        reply = self.kc.execute_interactive(code, timeout=timeout, output_hook=outputs.append)
        return reply["content"], outputs

    def result_text(self, code):
        content, outputs = self.run_cell(code)
        self.assertEqual(content["status"], "ok", content)
        results = [m["content"]["data"]["text/plain"] for m in outputs if m["msg_type"] == "execute_result"]
        self.assertEqual(len(results), 1, outputs)
        return results[0]

    def ok(self, code):
        content, _ = self.run_cell(code)
        self.assertEqual(content["status"], "ok", content)

    def raw_shell(self):
        ctx = zmq.Context.instance()
        s = ctx.socket(zmq.DEALER)
        s.linger = 0
        s.connect(f"tcp://{self.info['ip']}:{self.info['shell_port']}")
        self.addCleanup(s.close)
        return s

    def frames(self, msg_type, content, key):
        header = {"msg_id": uuid.uuid4().hex, "session": uuid.uuid4().hex, "username": "test",
                  "date": "2026-01-01T00:00:00.000000Z", "msg_type": msg_type, "version": "5.3"}
        parts = [json.dumps(x).encode() for x in (header, {}, {}, content)]
        return [b"<IDS|MSG>", sign(key, parts)] + parts

    def test_wrongly_signed_message_is_not_executed(self):
        self.ok("marker = 1")
        s = self.raw_shell()
        s.send_multipart(self.frames("execute_request", {"code": "marker = 666", "silent": False}, b"not-the-key"))
        # A correctly signed request sent after it is answered, so the bad one was read and dropped.
        s.send_multipart(self.frames("kernel_info_request", {}, self.info["key"]))
        self.assertTrue(s.poll(TIMEOUT * 1000), "no reply to the correctly signed request")
        reply = s.recv_multipart()
        self.assertIn(b"kernel_info_reply", b"".join(reply))
        self.assertFalse(s.poll(500), "the wrongly signed request got a reply")
        self.assertEqual(self.result_text("marker"), "1")

    def test_replayed_message_is_not_executed_twice(self):
        self.ok("count = 0")
        s = self.raw_shell()
        frames = self.frames("execute_request", {"code": "count += 1", "silent": False}, self.info["key"])
        s.send_multipart(frames)
        self.assertTrue(s.poll(TIMEOUT * 1000))
        self.assertIn(b"execute_reply", b"".join(s.recv_multipart()))
        s.send_multipart(frames)  # the same bytes, signature and all
        s.send_multipart(self.frames("kernel_info_request", {}, self.info["key"]))
        self.assertTrue(s.poll(TIMEOUT * 1000))
        self.assertIn(b"kernel_info_reply", b"".join(s.recv_multipart()))
        self.assertFalse(s.poll(500), "the replayed request got a reply")
        self.assertEqual(self.result_text("count"), "1")

    def test_malformed_messages_do_not_crash(self):
        s = self.raw_shell()
        key = self.info["key"]
        s.send_multipart([b"garbage"])
        s.send_multipart([b"<IDS|MSG>", b"sig"])
        parts = [b"{not json", b"{}", b"{}", b"{}"]
        s.send_multipart([b"<IDS|MSG>", sign(key, parts)] + parts)
        parts = [b"[1, 2]", b"{}", b"{}", b"{}"]
        s.send_multipart([b"<IDS|MSG>", sign(key, parts)] + parts)
        parts = [json.dumps({"msg_id": "x"}).encode(), b"{}", b"{}", b"{}"]  # no msg_type
        s.send_multipart([b"<IDS|MSG>", sign(key, parts)] + parts)
        for msg_type, content in [
            ("execute_request", {"code": 42}),
            ("execute_request", {}),
            ("execute_request", {"code": "1", "silent": "yes", "store_history": 3}),
            ("complete_request", {"code": None, "cursor_pos": "end"}),
            ("complete_request", {"code": "ab\u00e9c", "cursor_pos": 10_000}),
            ("complete_request", {"code": "abc", "cursor_pos": -5}),
            ("inspect_request", {"code": ["x"], "cursor_pos": 1.5}),
            ("is_complete_request", {"code": {"a": 1}}),
            ("history_request", {"hist_access_type": "range", "start": "a", "stop": None}),
            ("history_request", {"hist_access_type": "search", "pattern": 7, "n": -1}),
            ("no_such_request", {"x": 1}),
        ]:
            s.send_multipart(self.frames(msg_type, content, key))
        time.sleep(1)
        self.assertTrue(self.km.is_alive(), "the kernel died on a malformed message")
        self.assertEqual(self.result_text("40 + 2"), "42")

    def interrupt_cell(self, code, interrupt):
        msg_id = self.kc.execute(code)
        time.sleep(1.5)
        interrupt()
        deadline = time.time() + TIMEOUT
        while time.time() < deadline:
            reply = self.kc.get_shell_msg(timeout=TIMEOUT)
            if reply["parent_header"].get("msg_id") == msg_id:
                return reply["content"]
        self.fail("no execute_reply after the interrupt")

    def test_interrupt_request_stops_a_loop_and_keeps_bindings(self):
        self.ok("kept = 41")
        content = self.interrupt_cell("while true {}", self.km.interrupt_kernel)  # interrupt_mode: message
        self.assertEqual(content["status"], "error")
        self.assertEqual(content["ename"], "Interrupt")
        self.assertEqual(self.result_text("kept + 1"), "42")

    def test_sigint_stops_a_loop_and_keeps_bindings(self):
        self.ok("kept = 41")
        content = self.interrupt_cell("n = 0; while true { n += 1 }", lambda: self.km.signal_kernel(signal.SIGINT))
        self.assertEqual(content["status"], "error")
        self.assertEqual(content["ename"], "Interrupt")
        self.assertEqual(self.result_text("kept + 1"), "42")
        self.assertEqual(self.result_text('type(n)'), '"number"')

    def test_interrupt_mid_finetune(self):
        self.result_text("w = synth(classes: 10, seed: 0); m0 = w.models[0]; 1")
        started = time.time()
        content = self.interrupt_cell("m1 = finetune(m0, w.train, epochs: 100000)", self.km.interrupt_kernel)
        self.assertEqual(content["status"], "error")
        self.assertEqual(content["ename"], "Interrupt")
        self.assertLess(time.time() - started, TIMEOUT)
        self.assertEqual(self.result_text("type(m0)"), '"model"')
        content, _ = self.run_cell("m1")
        self.assertEqual(content["ename"], "NameError")  # the interrupted assignment never happened

    def test_interrupt_mid_synth_pretraining(self):
        self.ok("kept = 1")
        started = time.time()
        # About 100 s of pre-training uninterrupted; the epoch loop must notice the interrupt.
        content = self.interrupt_cell("w = synth(pretrain_samples: 1000000, seed: 0)", self.km.interrupt_kernel)
        self.assertEqual(content["status"], "error")
        self.assertEqual(content["ename"], "Interrupt")
        self.assertLess(time.time() - started, TIMEOUT)
        content, _ = self.run_cell("w")
        self.assertEqual(content["ename"], "NameError")
        self.assertEqual(self.result_text("kept"), "1")

    def test_second_kernel_on_the_same_connection_file_fails_cleanly(self):
        argv = self.km.kernel_spec.argv
        cmd = [a.replace("{connection_file}", self.km.connection_file) for a in argv]
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT, stdin=subprocess.DEVNULL)
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertIn("already running", p.stderr)
        self.assertNotIn("Fatal", p.stderr)
        self.assertEqual(self.result_text("1 + 1"), "2")

    def test_listens_only_on_the_connection_files_address(self):
        ports = {self.info[k] for k in ("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port")}
        listening = {}
        for table in ("/proc/net/tcp", "/proc/net/tcp6"):
            if not os.path.exists(table):
                continue
            with open(table) as f:
                for line in f.readlines()[1:]:
                    fields = line.split()
                    addr, port = fields[1].split(":")
                    if fields[3] == "0A" and int(port, 16) in ports:
                        listening[int(port, 16)] = addr
        self.assertEqual(set(listening), ports)
        self.assertEqual(set(listening.values()), {"0100007F"})  # 127.0.0.1, nothing else

    def test_restart_starts_a_fresh_session(self):
        self.ok("before = 1")
        self.km.restart_kernel(now=False)
        self.kc.wait_for_ready(timeout=TIMEOUT)
        content, _ = self.run_cell("before")
        self.assertEqual(content["ename"], "NameError")
        self.assertEqual(self.result_text("2 * 21"), "42")

    def test_silent_and_store_history(self):
        self.result_text("1")
        content, outputs = self.run_cell_silent("print(5); 7")
        self.assertEqual([m["msg_type"] for m in outputs if m["msg_type"] not in ("status",)], [])
        content, _ = self.run_cell("8")
        self.assertEqual(content["execution_count"], 2)

    def run_cell_silent(self, code):
        outputs = []
        reply = self.kc.execute_interactive(code, silent=True, store_history=False, timeout=TIMEOUT, output_hook=outputs.append)
        return reply["content"], outputs

    def test_errors_keep_state_and_point_at_the_cell(self):
        self.ok("a = 5")
        content, outputs = self.run_cell("b = [1, 2][a]")
        self.assertEqual(content["status"], "error")
        tb = "\n".join(content["traceback"])
        self.assertIn("\x1b[", tb)  # coloured
        self.assertIn("^", tb)
        self.assertIn("<cell 2>:1:", tb)
        self.assertEqual([m["msg_type"] for m in outputs if m["msg_type"] not in ("status", "execute_input")], ["error"])
        self.assertEqual(self.result_text("a"), "5")



class IpcTransportTests(unittest.TestCase):
    """The same kernel over ZeroMQ's ipc transport (Unix sockets named by the file)."""

    def test_executes_over_ipc(self):
        from jupyter_client.manager import KernelManager

        folder = tempfile.mkdtemp(prefix="ltnb-ipc-")
        self.addCleanup(shutil.rmtree, folder, ignore_errors=True)
        km = KernelManager(kernel_name="ltnb", transport="ipc", ip=os.path.join(folder, "kernel"))
        km.start_kernel(stderr=KERNEL_LOG)
        self.addCleanup(km.shutdown_kernel, now=True)
        kc = km.client()
        kc.start_channels()
        self.addCleanup(kc.stop_channels)
        kc.wait_for_ready(timeout=TIMEOUT)
        outputs = []
        reply = kc.execute_interactive("6 * 7", timeout=TIMEOUT, output_hook=outputs.append)
        self.assertEqual(reply["content"]["status"], "ok")
        self.assertIn("42", [m["content"]["data"]["text/plain"] for m in outputs if m["msg_type"] == "execute_result"])
        self.assertTrue(any(name.startswith("kernel-") for name in os.listdir(folder)))


if __name__ == "__main__":
    unittest.main(verbosity=2)
