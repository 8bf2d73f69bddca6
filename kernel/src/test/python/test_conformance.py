"""Jupyter protocol conformance of the leakscope kernel, judged by jupyter_kernel_test (Debian's
python3-jupyter-kernel-test) with every test it has enabled. Run by KernelConformanceTest with JUPYTER_PATH
pointing at a temporary kernelspec install; run by hand with:

    ./leakscope kernel install --prefix /tmp/ls && JUPYTER_PATH=/tmp/ls/share/jupyter \
        /usr/bin/python3 -m unittest -v kernel/src/test/python/test_conformance.py
"""
import unittest

import jupyter_kernel_test


class LeakscopeKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = "leakscope"
    language_name = "java"
    file_extension = ".jshell"

    code_hello_world = 'System.out.println("hello, world");'
    code_stderr = 'System.err.println("to stderr");'

    # Table's only static method starting with "cre" is create(...): one match
    completion_samples = [
        {"text": "Table.cre", "matches": {"create("}},
        {"text": "Integer.toHexStr", "matches": {"toHexString("}},
    ]

    complete_code_samples = ["int x = 1;", "System.out.println(1)", "for (int i = 0; i < 2; i++) { }",
                             "%%html\n<b>x</b>"]
    incomplete_code_samples = ["for (int i = 0; i < 2; i++) {", "int[] a = {1, 2,", "String s = \"\"\"\n  text"]
    invalid_code_samples = ["int x = 1; }", "))"]

    code_page_something = "%doc Table.create"

    code_generate_error = 'throw new IllegalStateException("deliberate");'

    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
        {"code": "\"leak\" + \"scope\"", "result": "\"leakscope\""},
        {"code": "Table.create(\"t\", IntColumn.create(\"n\", 1, 2, 3))", "mime": "text/html"},
    ]

    code_display_data = [
        {"code": "display(Table.create(\"t\", StringColumn.create(\"s\", \"a\")));", "mime": "text/html"},
        {"code": "%%markdown\n# heading", "mime": "text/markdown"},
        {"code": "%%html\n<i>x</i>", "mime": "text/html"},
    ]

    code_history_pattern = "6 * ?"
    supported_history_operations = ("tail", "range", "search")

    code_inspect_sample = "Table.create"

    code_clear_output = "System.out.println(1); clearOutput();"


if __name__ == "__main__":
    unittest.main()
