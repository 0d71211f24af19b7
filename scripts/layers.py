#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check kitt's layering from its built objects (issue 10).

  scripts/layers.py OBJDIR [-v]

Reads the symbols each object of kitt.ko defines and uses (nm), draws the
file-level call graph (a -> b: a.c calls a function or uses a variable of
b.c; calls through ops tables do not count) and finds its cycles. The only
cycle allowed is the runtime's inherent one, the connection and the
session calling each other (conn, conn_login, session, task); any other
file in a cycle is printed with the symbols that close it, and the exit
status is 1. -v prints the whole graph.
"""
import collections
import glob
import os
import subprocess
import sys

ALLOWED = {'conn', 'conn_login', 'session', 'task'}


def graph(objdir):
    defs = {}
    uses = collections.defaultdict(set)
    for obj in glob.glob(os.path.join(objdir, '*.o')):
        name = os.path.basename(obj)[:-2]
        if name.endswith(('_test', '.mod')) or name == 'kitt':
            continue
        out = subprocess.run(['nm', obj], capture_output=True, text=True,
                             check=True).stdout
        for line in out.splitlines():
            f = line.split()
            if len(f) == 3 and f[1] in 'TDRB':
                defs[f[2]] = name
            elif len(f) == 2 and f[0] == 'U':
                uses[name].add(f[1])
    edges = collections.defaultdict(set)
    why = collections.defaultdict(set)
    for a, syms in uses.items():
        for sym in syms:
            b = defs.get(sym)
            if b and b != a:
                edges[a].add(b)
                why[a, b].add(sym)
    return sorted(set(defs.values()) | set(uses)), edges, why


def cycles(nodes, edges):
    """Strongly connected components of more than one file (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in nodes:
        if v not in index:
            visit(v)
    return out


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    nodes, edges, why = graph(sys.argv[1])
    if not nodes:
        sys.exit('layers: no objects in ' + sys.argv[1])
    if '-v' in sys.argv:
        for a in nodes:
            print(a, '->', ' '.join(sorted(edges[a])))
    bad = 0
    for comp in cycles(nodes, edges):
        extra = set(comp) - ALLOWED
        print('cycle:', ' '.join(comp), '(not allowed: %s)' % ' '.join(sorted(extra))
              if extra else '(the runtime, allowed)')
        if extra:
            bad = 1
            for a in comp:
                for b in sorted(edges[a] & set(comp)):
                    print('    %s -> %s: %s' % (a, b, ' '.join(sorted(why[a, b]))))
    return bad


if __name__ == '__main__':
    sys.exit(main())
