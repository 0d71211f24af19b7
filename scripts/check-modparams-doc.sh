#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Every module parameter of drivers/kitt/modparams.c is documented in the
# "Module parameters" table of Documentation/admin-guide.rst, with the
# default its MODULE_PARM_DESC states, and the table names no parameter
# kitt does not have. Runs on the host (scripts/check.sh).
#
#   scripts/check-modparams-doc.sh
#
# Prints "PASS docs:modparams: N parameters" or "FAIL docs:modparams: ..."
# (the lines before it say what is wrong); exits non-zero on FAIL.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

src=$KITT_ROOT/drivers/kitt/modparams.c
doc=$KITT_ROOT/Documentation/admin-guide.rst

python3 - "$src" "$doc" <<'EOF'
import re
import sys

src, doc = open(sys.argv[1]).read(), open(sys.argv[2]).read()

# module_param(name, type, perm) and module_param_named(name, var, type, perm)
params = re.findall(r'^\s*module_param(?:_named|_cb)?\(\s*(\w+)\s*,', src, re.M)
if not params:
    print("FAIL docs:modparams: no module_param found in drivers/kitt/modparams.c")
    sys.exit(1)
# MODULE_PARM_DESC(name, "... (default X)"), over one or more lines
descs = {}
for name, body in re.findall(r'MODULE_PARM_DESC\(\s*(\w+)\s*,((?:\s*"(?:[^"\\]|\\.)*")+)\s*\)',
                             src):
    text = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', body))
    m = re.search(r'\(default ([^)]*)\)', text)
    if m:
        descs[name] = m.group(1)

# The "Module parameters" section, up to the next heading: its table's rows.
m = re.search(r'^Module parameters\n-+\n(.*?)(?=^\S[^\n]*\n[-=]{3,}\n|\Z)', doc, re.M | re.S)
if not m:
    print("FAIL docs:modparams: no 'Module parameters' section in Documentation/admin-guide.rst")
    sys.exit(1)
rows = {}
for row in re.findall(r'^   \* - (.*?)(?=^   \* - |\Z)', m.group(1), re.M | re.S):
    cells = [c.strip() for c in re.split(r'^     - ', row, flags=re.M)]
    name = cells[0].strip('`')
    rows[name] = cells

problems = []
for p in params:
    if p not in rows:
        problems.append("%s: not in the table" % p)
        continue
    want = descs.get(p)
    got = rows[p][2].strip('`') if len(rows[p]) > 2 else ""
    if want is not None and got != want:
        problems.append("%s: the table says default '%s', modparams.c '%s'" % (p, got, want))
for name in rows:
    if name != "parameter" and name not in params:
        problems.append("%s: in the table, but not a module parameter" % name)

for line in problems:
    print("  " + line)
if problems:
    print("FAIL docs:modparams: %d problems (Documentation/admin-guide.rst, Module parameters)"
          % len(problems))
    sys.exit(1)
print("PASS docs:modparams: %d parameters" % len(params))
EOF
