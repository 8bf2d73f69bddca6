"""Bad input and kernel robustness over the real wire protocol (jupyter_client), against the installed
"leakscope" kernelspec. Each bad cell must give a clear error in the cell, keep the kernel alive, and let the
next cell work. Run by KernelProtocolTest (see test_conformance.py for running it by hand)."""
import os
import signal
import subprocess
import sys
import textwrap
import time
import unittest
from queue import Empty

from jupyter_client.manager import start_new_kernel
from jupyter_client.session import Session

TIMEOUT = 60


class Wire(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.km, cls.kc = start_new_kernel(kernel_name="leakscope", startup_timeout=120)

    @classmethod
    def tearDownClass(cls):
        cls.kc.stop_channels()
        cls.km.shutdown_kernel(now=False)

    def run_cell(self, code, timeout=TIMEOUT):
        msg_id = self.kc.execute(code)
        outputs = []
        deadline = time.time() + timeout
        while True:
            msg = self.kc.get_iopub_msg(timeout=max(1, deadline - time.time()))
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            t = msg["msg_type"]
            if t == "status" and msg["content"]["execution_state"] == "idle":
                break
            if t not in ("status", "execute_input"):
                outputs.append(msg)
        return self.reply_to(msg_id, timeout)["content"], outputs

    def reply_to(self, msg_id, timeout):
        """The shell reply to msg_id, skipping stale replies (kernel_info from start-up)."""
        deadline = time.time() + timeout
        while True:
            reply = self.kc.get_shell_msg(timeout=max(1, deadline - time.time()))
            if reply["parent_header"].get("msg_id") == msg_id:
                return reply

    def assert_alive(self):
        reply, outputs = self.run_cell("40 + 2")
        self.assertEqual(reply["status"], "ok")
        results = [o for o in outputs if o["msg_type"] == "execute_result"]
        self.assertEqual(results[0]["content"]["data"]["text/plain"], "42")

    def assert_error(self, code, ename, *evalue_parts):
        reply, outputs = self.run_cell(code)
        self.assertEqual(reply["status"], "error", reply)
        self.assertEqual(reply["ename"], ename, reply)
        for part in evalue_parts:
            self.assertIn(part, reply["evalue"])
        errors = [o for o in outputs if o["msg_type"] == "error"]
        self.assertEqual(len(errors), 1)
        tb = "\n".join(errors[0]["content"]["traceback"])
        self.assertNotIn("dev.leakscope.kernel", tb)
        self.assertNotIn("jdk.jshell", tb)
        self.assert_alive()
        return reply, tb

    def test_cell_that_throws(self):
        _, tb = self.assert_error('int a = 1;\nthrow new IllegalArgumentException("bad size " + a);',
                                  "IllegalArgumentException", "bad size 1")
        self.assertIn("cell line 2", tb)

    def test_syntax_error(self):
        _, tb = self.assert_error("int x = 1;\nint y = x +;\n", "CompileError", "illegal start of expression")
        self.assertIn("cell line 2", tb)

    def test_unknown_magic(self):
        self.assert_error("%frobnicate now", "UnknownMagic", "%frobnicate")

    def test_missing_file(self):
        self.assert_error('java.nio.file.Files.size(java.nio.file.Path.of("/nonexistent/core.1234"))',
                          "NoSuchFileException", "/nonexistent/core.1234")
        self.assert_error("%jars /nonexistent/lib/*.jar", "FileNotFound", "/nonexistent/lib/*.jar")

    def test_huge_output(self):
        reply, outputs = self.run_cell(
            'var line = "y".repeat(1023) + "\\n"; for (int i = 0; i < 40_000; i++) System.out.print(line);',
            timeout=120)
        self.assertEqual(reply["status"], "ok")
        out = sum(len(o["content"]["text"]) for o in outputs
                  if o["msg_type"] == "stream" and o["content"]["name"] == "stdout")
        err = "".join(o["content"]["text"] for o in outputs
                      if o["msg_type"] == "stream" and o["content"]["name"] == "stderr")
        self.assertLessEqual(out, 8 * 1024 * 1024)
        self.assertGreater(out, 1024 * 1024)
        self.assertIn("output truncated", err)
        # a huge value is cut too
        reply, outputs = self.run_cell('"z".repeat(30_000_000)')
        text = [o for o in outputs if o["msg_type"] == "execute_result"][0]["content"]["data"]["text/plain"]
        self.assertLess(len(text), 300_000)
        self.assertIn("more characters not shown", text)
        self.assert_alive()

    def test_stdout_is_batched(self):
        reply, outputs = self.run_cell("for (int i = 0; i < 5000; i++) System.out.println(i);")
        streams = [o for o in outputs if o["msg_type"] == "stream"]
        text = "".join(o["content"]["text"] for o in streams)
        self.assertEqual(text.splitlines(), [str(i) for i in range(5000)])
        self.assertLess(len(streams), 50)

    def start_cell(self, code, marker, timeout=TIMEOUT):
        """Sends code and returns its msg_id once the cell has printed marker: running, no longer compiling (a fixed
        sleep before an interrupt is too short on a slow machine, and the interrupt would find nothing to stop)."""
        msg_id = self.kc.execute(code)
        deadline = time.time() + timeout
        seen = ""
        while marker not in seen:
            if time.time() > deadline:
                self.fail(f"the cell did not print {marker!r} within {timeout} s")
            msg = self.kc.get_iopub_msg(timeout=max(1, deadline - time.time()))
            if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "stream":
                seen += msg["content"]["text"]
        return msg_id

    def test_interrupt_stops_an_infinite_loop(self):
        msg_id = self.start_cell('System.out.println("spinning"); while (true) { }', "spinning")
        self.km.interrupt_kernel()
        reply = self.reply_to(msg_id, 30)
        self.assertEqual(reply["content"]["status"], "error")
        self.assertEqual(reply["content"]["ename"], "Interrupted")
        self.drain_iopub()
        self.assert_alive()

    def test_interrupt_stops_a_sleeping_cell(self):
        msg_id = self.start_cell('System.out.println("sleeping"); Thread.sleep(600_000);', "sleeping")
        t0 = time.time()
        self.km.interrupt_kernel()
        reply = self.reply_to(msg_id, 30)
        self.assertEqual(reply["content"]["ename"], "Interrupted")
        self.assertLess(time.time() - t0, 10)
        self.drain_iopub()
        self.assert_alive()

    def test_system_exit_does_not_kill_the_kernel(self):
        self.assert_error("System.exit(7);", "SystemExit", "System.exit(7)")
        self.assertTrue(self.km.is_alive())

    def test_wrong_hmac_signature_is_rejected(self):
        forged = Session(key=b"not-the-kernel-key", username="mallory")
        msg = forged.msg("execute_request", content={
            "code": 'System.out.println("forged ran")', "silent": False, "store_history": True,
            "user_expressions": {}, "allow_stdin": False, "stop_on_error": True})
        forged.send(self.kc.shell_channel.socket, msg)
        # no reply and no output for the forged request
        deadline = time.time() + 3
        while time.time() < deadline:
            try:
                m = self.kc.get_shell_msg(timeout=0.5)
                self.assertNotEqual(m["parent_header"].get("msg_id"), msg["header"]["msg_id"], "forged message answered")
            except Empty:
                pass
        self.assertNotIn("forged ran", self.drain_iopub())
        self.assert_alive()

    def test_progress_bar_updates_in_place(self):
        reply, outputs = self.run_cell(
            'try (Progress p = Progress.start("scan", 50)) { for (int i = 0; i < 50; i++) { Thread.sleep(10); p.step(1); } }')
        self.assertEqual(reply["status"], "ok")
        shown = [o for o in outputs if o["msg_type"] == "display_data"]
        updates = [o for o in outputs if o["msg_type"] == "update_display_data"]
        self.assertEqual(len(shown), 1)
        display_id = shown[0]["content"]["transient"]["display_id"]
        self.assertGreaterEqual(len(updates), 2)
        self.assertTrue(all(u["content"]["transient"]["display_id"] == display_id for u in updates))
        self.assertIn("<progress", updates[-1]["content"]["data"]["text/html"])
        self.assertIn("50 / 50", updates[-1]["content"]["data"]["text/plain"])
        self.assertIn("done", updates[-1]["content"]["data"]["text/plain"])

    def test_maven_magic_adds_an_artifact_with_its_dependencies(self):
        # junit-jupiter-api is in the local Maven repository whenever these tests run, so this works offline
        probe = "org.junit.jupiter.api.Assertions.class.getName()"
        self.assert_error(probe, "CompileError", "org.junit.jupiter.api")
        reply, outputs = self.run_cell("%maven org.junit.jupiter:junit-jupiter-api:5.11.4", timeout=300)
        self.assertEqual(reply["status"], "ok", reply)
        text = "".join(o["content"]["text"] for o in outputs if o["msg_type"] == "stream")
        self.assertIn("opentest4j", text)  # a transitive dependency came along
        reply, outputs = self.run_cell(probe)
        self.assertEqual(reply["status"], "ok")
        self.assert_error("%maven no.such.group:nothing:1.0", "MavenError", "no.such.group:nothing")

    def test_kernel_exits_when_the_process_that_started_it_dies(self):
        starter = textwrap.dedent("""
            import os
            from jupyter_client.manager import KernelManager
            km = KernelManager(kernel_name="leakscope")
            km.start_kernel()
            print(km.provisioner.process.pid, flush=True)
            os._exit(9)  # no shutdown request: the kernel is orphaned
        """)
        import tempfile
        with tempfile.TemporaryFile("w+") as f:  # a file, not a pipe: the kernel inherits it
            subprocess.run([sys.executable, "-c", starter], stdout=f, stderr=subprocess.DEVNULL, timeout=120)
            f.seek(0)
            pid = int(f.read().strip().splitlines()[-1])
        try:
            deadline = time.time() + 30
            while time.time() < deadline:
                try:
                    with open(f"/proc/{pid}/stat") as stat:
                        state = stat.read().rsplit(")", 1)[1].split()[0]
                except FileNotFoundError:
                    break
                if state == "Z":
                    break
                time.sleep(0.5)
            else:
                self.fail(f"orphaned kernel {pid} still running after 30 s")
        finally:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def drain_iopub(self):
        text = []
        while True:
            try:
                m = self.kc.get_iopub_msg(timeout=0.5)
                if m["msg_type"] == "stream":
                    text.append(m["content"]["text"])
            except Empty:
                return "".join(text)


if __name__ == "__main__":
    unittest.main()
