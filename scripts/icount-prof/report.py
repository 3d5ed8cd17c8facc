#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Reports on run.sh output directories (README.md).

  report.py funcs DIR [BASE] [--limit N] [--ops N]
      guest instructions per operation by function (kernel and modules,
      user space as one line); with BASE, the difference DIR - BASE, largest
      first.  Operations: --ops, else the ops= of the first result line in
      cmd.out (qrtr-bench).
  report.py syscalls DIR [BASE]
      per logged system call: calls per operation and instructions from its
      entry to the next logged system call, for the calls with no task
      switch in between.
  report.py switches DIR [--limit N]
      the commonest event sequences between two task switches.
"""
import bisect
import collections
import os
import struct
import sys


def ops_of(d, override):
    if override:
        return override
    with open(os.path.join(d, 'cmd.out')) as f:
        for line in f:
            for w in line.split():
                if w.startswith('ops='):
                    return int(w[4:])
    sys.exit('%s: no ops= in cmd.out (use --ops)' % d)


def symbols(d):
    syms = []
    for name in ('kallsyms', 'mod.syms'):
        with open(os.path.join(d, name)) as f:
            for line in f:
                p = line.split()
                if len(p) >= 3 and int(p[0], 16):
                    syms.append((int(p[0], 16), ' '.join(p[2:])))
    syms.sort()
    return [a for a, _ in syms], [n for _, n in syms]


def funcs(d, ops):
    addrs, names = symbols(d)
    cnt = collections.Counter()
    with open(os.path.join(d, 'tb.out')) as f:
        for line in f:
            if line.startswith('#'):
                continue
            va, n, c = line.split()
            va = int(va, 16)
            if va < 0xffff800000000000:
                cnt['[user]'] += int(n) * int(c)
                continue
            i = bisect.bisect_right(addrs, va) - 1
            cnt[names[i] if i >= 0 else '?'] += int(n) * int(c)
    return {k: v / ops for k, v in cnt.items()}


def events(d):
    letters = {}
    with open(os.path.join(d, 'events')) as f:
        for line in f:
            k, name = line.split()
            letters[k] = name
    with open(os.path.join(d, 'tb.out.ev')) as f:
        ev = f.read()
    with open(os.path.join(d, 'tb.out.ic'), 'rb') as f:
        ic = struct.unpack('%dQ' % len(ev), f.read())
    return letters, ev, ic


def syscalls(d, ops):
    letters, ev, ic = events(d)
    sysl = {k for k, n in letters.items() if '_sys_' in n}
    sw = {k for k, n in letters.items() if n == '__switch_to'}
    n = collections.Counter()
    tot = collections.Counter()
    calls = collections.Counter(c for c in ev if c in sysl)
    last = None
    for i, c in enumerate(ev):
        if c in sw:
            last = None
        elif c in sysl:
            if last is not None:
                n[ev[last]] += 1
                tot[ev[last]] += ic[i] - ic[last]
            last = i
    return {letters[k].split('_sys_')[-1]:
            (calls[k] / ops, tot[k] / n[k] if n[k] else 0) for k in sysl}


def main():
    args = sys.argv[1:]
    limit, ops = 40, None
    if '--limit' in args:
        i = args.index('--limit')
        limit = int(args[i + 1])
        del args[i:i + 2]
    if '--ops' in args:
        i = args.index('--ops')
        ops = int(args[i + 1])
        del args[i:i + 2]
    if len(args) < 2:
        sys.exit(__doc__)
    cmd, dirs = args[0], args[1:]
    if cmd == 'funcs':
        res = [funcs(d, ops_of(d, ops)) for d in dirs]
        total = [sum(r.values()) for r in res]
        print('instructions/op: ' + ' / '.join('%.0f' % t for t in total))
        if len(res) == 1:
            rows = sorted(res[0].items(), key=lambda kv: -kv[1])
            for k, v in rows[:limit]:
                print('%9.1f  %s' % (v, k))
        else:
            a, b = res[0], res[1]
            keys = set(a) | set(b)
            rows = sorted(keys, key=lambda k: -abs(a.get(k, 0) - b.get(k, 0)))
            print('%9s %9s %9s' % ('diff', 'dir', 'base'))
            for k in rows[:limit]:
                print('%+9.1f %9.1f %9.1f  %s' % (a.get(k, 0) - b.get(k, 0),
                                                  a.get(k, 0), b.get(k, 0), k))
    elif cmd == 'syscalls':
        res = [syscalls(d, ops_of(d, ops)) for d in dirs]
        for k in sorted(res[0]):
            print('%-10s' % k + ''.join('  %5.2f/op %6.0f insns' % r.get(k, (0, 0))
                                        for r in res))
    elif cmd == 'switches':
        letters, ev, _ = events(dirs[0])
        sw = [k for k, n in letters.items() if n == '__switch_to']
        runs = collections.Counter(ev.split(sw[0])[1:-1] if sw else [])
        for k, n in letters.items():
            print('# %s %s' % (k, n))
        for r, c in runs.most_common(limit):
            print('%7d %s' % (c, r))
    else:
        sys.exit(__doc__)


if __name__ == '__main__':
    main()
