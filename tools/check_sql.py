"""Fail on raw SQL built by string formatting in the addon's Python code.

Raw SQL goes through odoo.tools.SQL (identifiers with SQL.identifier, values
as parameters). This flags cr.execute / execute_query called with an
f-string, a %-formatted string, .format() or string concatenation.
"""

import ast
import sys
from pathlib import Path

EXECUTORS = {"execute", "executemany", "execute_query", "execute_query_dict", "mogrify"}


def formatted(node):
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mod, ast.Add)):
        return isinstance(node.left, (ast.Constant, ast.JoinedStr, ast.BinOp))
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "format"
        and isinstance(node.func.value, ast.Constant)
    )


def main(root):
    bad = []
    for path in sorted(Path(root).rglob("*.py")):
        if any(part.startswith(".") for part in path.relative_to(root).parts) or "tools" in path.parts:
            continue
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in EXECUTORS
                and node.args
                and formatted(node.args[0])
            ):
                bad.append(f"{path}:{node.lineno}: SQL built by string formatting; use odoo.tools.SQL")
    print("\n".join(bad) or "check_sql: no string-formatted SQL")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "."))
