"""Exit 1 if an executed notebook has an error output or an unexecuted code cell; print what is wrong.

    /usr/bin/python3 check_notebook.py EXECUTED.ipynb
"""
import sys

import nbformat


def main(path):
    nb = nbformat.read(path, as_version=4)
    problems = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or not cell.source.strip():
            continue
        if cell.get("execution_count") is None:
            problems.append(f"cell {i}: not executed")
        for out in cell.get("outputs", []):
            if out.output_type == "error":
                problems.append(f"cell {i}: {out.ename}: {out.evalue}\n" + "\n".join(out.traceback))
    kernel = nb.metadata.get("kernelspec", {}).get("name")
    if kernel != "leakscope":
        problems.append(f"kernelspec is {kernel!r}, not 'leakscope'")
    for p in problems:
        print(p)
    print(f"{path}: {len(nb.cells)} cells, {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
