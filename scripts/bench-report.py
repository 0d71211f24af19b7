#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn the raw results of `make bench` into a Markdown table and a chart.

    scripts/bench-report.py RAWDIR OUTDIR

RAWDIR holds what the guest exported (scripts/guest/bench.sh):
results.csv (one line per job run: CPU and context switch deltas, I/O
count), the fio JSON and iscsi-perf output of each run, session-*.txt
(negotiated settings), env.txt, and host.txt from scripts/bench.sh.
Writes OUTDIR/results.md, results.rst, results.json and, when gnuplot is
installed, results.png. Medians over the rounds; the spread of a target is
(max - min) / median of its rounds.

    --max-other-load CPUS   leave out the runs during which the host's other
                            processes used more than CPUS CPUs on average
                            (hostload.txt, sampled by scripts/bench.sh)
"""

import argparse

import json
import os
import shutil
import statistics
import subprocess
import sys

USER_HZ = 100   # /proc/stat ticks per second

JOB_ORDER = ['qd1-randread', 'qd1-randwrite', 'qd4-randrw', 'qd32-randread', 'qd32-randwrite',
             'qd32-randrw', 'seq-read', 'seq-write', 'sess4-randrw', 'perf-randread',
             'perf-seqread']
JOB_TITLE = {
    'qd1-randread': '4k randread QD1',
    'qd1-randwrite': '4k randwrite QD1',
    'qd32-randread': '4k randread QD32',
    'qd32-randwrite': '4k randwrite QD32',
    'qd4-randrw': '4k randrw 70/30 QD4',
    'qd32-randrw': '4k randrw 70/30 QD32',
    'sess4-randrw': '4 sessions x 4k randrw 70/30 QD32',
    'seq-read': '128k read QD8',
    'seq-write': '128k write QD8',
    'perf-randread': 'iscsi-perf 4k randread QD32',
    'perf-seqread': 'iscsi-perf 128k read QD8',
}
BACKEND_TITLE = {'null': 'null_blk', 'brd': 'brd'}
DIGEST_TITLE = {'none': 'no digests', 'crc32c': 'HeaderDigest and DataDigest CRC32C'}

# Issue 14's goals (they replace issue 5's): a bound of kitt/LIO, True
# when the ratio must reach at least the bound (throughput), False when at
# most (latency, CPU). Every job's throughput at least 1.0x LIO, more
# where named; QD1 p50 at most 0.85x and CPU per I/O 0.8x; CPU per I/O
# at most 0.6x for the QD32 and 128k jobs.
GOALS_NAME = 'Issue 14 goals'
THROUGHPUT_GOAL = {
    'qd32-randwrite': 1.5,
    'qd4-randrw': 1.5,
    'sess4-randrw': 1.5,
    'seq-write': 1.3,
}


def primary_metrics(job):
    """The metrics a job is judged by, in table order."""
    if job.startswith('qd1-'):
        return ['p50', 'p99']
    if job.startswith(('qd32-', 'qd4-', 'sess4-')) or job == 'perf-randread':
        return ['iops']
    return ['mbps']


METRIC_TITLE = {
    'p50': 'p50 latency (us)',
    'p99': 'p99 latency (us)',
    'iops': 'IOPS',
    'mbps': 'MB/s',
    'cpu': 'CPU us per I/O',
    'ctxt': 'context switches per I/O',
}
LOWER_IS_BETTER = {'p50', 'p99', 'cpu', 'ctxt'}


def read_kv(path):
    out = {}
    if not os.path.exists(path):
        return out
    with open(path) as f:
        for line in f:
            k, _, v = line.rstrip('\n').partition(' ')
            if k:
                out[k] = v
    return out


def load_fio(path):
    """The first job of a fio JSON output file (text before '{' skipped)."""
    with open(path) as f:
        text = f.read()
    start = text.find('{')
    if start < 0:
        return None
    try:
        return json.loads(text[start:])['jobs'][0]
    except (ValueError, KeyError, IndexError):
        return None


def fio_metrics(job):
    rd, wr = job['read'], job['write']
    m = {
        'iops': rd['iops'] + wr['iops'],
        'mbps': (rd['bw_bytes'] + wr['bw_bytes']) / 1e6,
    }
    # QD1 jobs are pure reads or pure writes: take that direction's latency.
    d = rd if rd['total_ios'] >= wr['total_ios'] else wr
    pct = d.get('clat_ns', {}).get('percentile', {})
    if '50.000000' in pct:
        m['p50'] = pct['50.000000'] / 1000.0
    if '99.000000' in pct:
        m['p99'] = pct['99.000000'] / 1000.0
    m['errors'] = job.get('error', 0)
    return m


def perf_metrics(path, bs):
    with open(path, errors='replace') as f:
        text = f.read().replace('\r', '\n')
    iops = None
    for line in text.splitlines():
        if line.startswith('iops average '):
            iops = float(line.split()[2])
    if iops is None:
        return None
    return {'iops': iops, 'mbps': iops * bs / 1e6}


# Other load (in CPUs) above which a job run is called disturbed.
BUSY = 0.25


def load_runs(raw, window):
    """One dict per run line of results.csv, with its metrics. WINDOW is
    the seconds of a job's ramp and runtime together: a device with no I/O
    statistics (brd) gets its I/O count from fio's rate over that window.
    """
    runs = []
    with open(os.path.join(raw, 'results.csv')) as f:
        header = f.readline().split()
        for line in f:
            fields = line.split()
            if len(fields) != len(header):
                continue
            r = dict(zip(header, fields))
            for k in ('round', 'bs', 'ios', 'busy_ticks', 'total_ticks', 'ctxt',
                      'wall_cs', 'rc'):
                r[k] = int(r[k])
            path = os.path.join(raw, r['result'])
            m = None
            if r['rc'] == 0 and os.path.exists(path):
                if r['tool'] == 'fio':
                    job = load_fio(path)
                    m = fio_metrics(job) if job else None
                else:
                    m = perf_metrics(path, r['bs'])
            if m is None:
                r['ok'] = False
                runs.append(r)
                continue
            r['ok'] = True
            if r['ios'] <= 0 and r['tool'] == 'fio' and window:
                r['ios'] = int(m['iops'] * window)
            if r['ios'] > 0:
                m['cpu'] = r['busy_ticks'] * (1e6 / USER_HZ) / r['ios']
                m['ctxt'] = r['ctxt'] / r['ios']
            r['m'] = m
            runs.append(r)
    return runs


def load_hostload(raw):
    """[(epoch, host busy ticks, qemu ticks)] from hostload.txt."""
    samples = []
    path = os.path.join(raw, 'hostload.txt')
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                try:
                    t, b, q = (int(x) for x in line.split())
                except ValueError:
                    continue
                samples.append((t, b, q))
    return samples


def other_load(samples, t0, t1, hz):
    """CPUs the host's other processes used on average between t0 and t1
    (epoch seconds), or None without two samples in that window."""
    inside = [s for s in samples if t0 <= s[0] <= t1]
    if len(inside) < 2:
        return None
    (ta, ba, qa), (tb, bb, qb) = inside[0], inside[-1]
    if tb <= ta or qb < qa:
        return None
    return max(0.0, ((bb - ba) - (qb - qa)) / hz / (tb - ta))


def summary(values):
    """Median, spread ((max - min) / median) and count of a list."""
    if not values:
        return None
    med = statistics.median(values)
    spread = (max(values) - min(values)) / med if med and len(values) > 1 else None
    return {'median': med, 'spread': spread, 'n': len(values),
            'min': min(values), 'max': max(values), 'values': values}


def aggregate(runs):
    """{(backend, digest, job): {target: {metric: summary}}}; each summary
    also keeps its values by round, for paired ratios."""
    groups = {}
    for r in runs:
        if not r['ok'] or r.get('excluded'):
            continue
        key = (r['backend'], r['digest'], r['job'])
        per_t = groups.setdefault(key, {}).setdefault(r['target'], {})
        for k, v in r['m'].items():
            if k != 'errors':
                per_t.setdefault(k, {})[r['round']] = v
    out = {}
    for key, per_t in groups.items():
        out[key] = {}
        for t, ms in per_t.items():
            out[key][t] = {}
            for k, by_round in ms.items():
                s = summary(list(by_round.values()))
                s['by_round'] = by_round
                out[key][t][k] = s
    return out


def paired(agg, key, metric):
    """kitt/LIO of each round both targets ran: the two ran minutes apart,
    so slow changes of the machine's speed cancel out."""
    k = get(agg, key, 'kitt', metric)
    lio = get(agg, key, 'lio', metric)
    if not k or not lio:
        return []
    return [k['by_round'][r] / lio['by_round'][r] for r in sorted(k['by_round'])
            if r in lio['by_round'] and lio['by_round'][r]]


def fmt_range(ratios):
    if len(ratios) < 2:
        return '-'
    return f'{min(ratios):.2f}-{max(ratios):.2f}'


def fmt(v, metric=None):
    if v is None:
        return '-'
    if metric == 'ctxt':
        return f'{v:.2f}'
    if abs(v) >= 100:
        return f'{v:,.0f}'
    if abs(v) >= 10:
        return f'{v:.1f}'
    return f'{v:.2f}'


def fmt_spread(s):
    if s is None or s['spread'] is None:
        return '-'
    return f'{s["spread"] * 100:.0f}%'


def get(agg, key, target, metric):
    return agg.get(key, {}).get(target, {}).get(metric)


def ratio(agg, key, metric):
    k = get(agg, key, 'kitt', metric)
    lio = get(agg, key, 'lio', metric)
    if not k or not lio or not lio['median']:
        return None
    return k['median'] / lio['median']


def goal_of(job, metric, digest='none'):
    if metric == 'cpu':
        if job.startswith('qd1-'):
            return (0.8, False)
        if job.startswith(('qd32-', 'seq-', 'sess4-')):
            return (0.6, False)
        return None
    if metric == 'p50':
        return (0.85, False)
    if metric in ('iops', 'mbps'):
        bound = THROUGHPUT_GOAL.get(job, 1.0)
        if job == 'seq-write' and digest == 'crc32c':
            bound = 1.2
        return (bound, True)
    return None


def goal_text(job, metric, rt, digest='none'):
    g = goal_of(job, metric, digest)
    if g is None or rt is None:
        return ''
    bound, at_least = g
    met = rt >= bound if at_least else rt <= bound
    return f'{"yes" if met else "no"} ({"≥" if at_least else "≤"} {bound})'


def table_rows(agg, backend, digest, jobs):
    """Rows of one (backend, digest) table: performance, then CPU cost."""
    perf, cost = [], []
    for job in jobs:
        key = (backend, digest, job)
        if key not in agg:
            continue
        raw_key = (backend, 'none', job)
        for metric in primary_metrics(job):
            k = get(agg, key, 'kitt', metric)
            lio = get(agg, key, 'lio', metric)
            raw = get(agg, raw_key, 'raw', metric) if digest == 'none' else None
            rt = ratio(agg, key, metric)
            perf.append([JOB_TITLE.get(job, job), METRIC_TITLE[metric],
                         fmt(k and k['median']), fmt(lio and lio['median']),
                         fmt(rt), fmt_range(paired(agg, key, metric)),
                         f'{fmt_spread(k)} / {fmt_spread(lio)}',
                         fmt(raw and raw['median']), goal_text(job, metric, rt, digest)])
        kc = get(agg, key, 'kitt', 'cpu')
        lc = get(agg, key, 'lio', 'cpu')
        kx = get(agg, key, 'kitt', 'ctxt')
        lx = get(agg, key, 'lio', 'ctxt')
        rc = get(agg, raw_key, 'raw', 'cpu') if digest == 'none' else None
        rx = get(agg, raw_key, 'raw', 'ctxt') if digest == 'none' else None
        rt = ratio(agg, key, 'cpu')
        cost.append([JOB_TITLE.get(job, job),
                     fmt(kc and kc['median']), fmt(lc and lc['median']), fmt(rt),
                     fmt_range(paired(agg, key, 'cpu')),
                     fmt(kx and kx['median'], 'ctxt'), fmt(lx and lx['median'], 'ctxt'),
                     fmt(ratio(agg, key, 'ctxt')),
                     f'{fmt(rc and rc["median"])} / {fmt(rx and rx["median"], "ctxt")}',
                     goal_text(job, 'cpu', rt, digest)])
    return perf, cost


def md_table(header, rows, left=1):
    """A Markdown table; the first LEFT columns are text, the rest numbers."""
    out = ['| ' + ' | '.join(header) + ' |',
           '|' + '|'.join('---' if i < left else '--:' for i in range(len(header))) + '|']
    for r in rows:
        out.append('| ' + ' | '.join(r) + ' |')
    return out


def session_summary(raw):
    """The negotiated keys of each (target, digest) login, side by side."""
    keys = ['HeaderDigest', 'DataDigest', 'MaxRecvDataSegmentLength',
            'MaxXmitDataSegmentLength', 'FirstBurstLength', 'MaxBurstLength',
            'ImmediateData', 'InitialR2T', 'MaxOutstandingR2T', 'queue_depth',
            'nr_requests', 'max_sectors_kb', 'can_queue', 'scheduler']
    cols = []
    for t in ('kitt', 'lio'):
        for d in ('none', 'crc32c'):
            p = os.path.join(raw, f'session-{t}-{d}.txt')
            if not os.path.exists(p):
                continue
            vals = {}
            with open(p) as f:
                for line in f:
                    k, sep, v = line.strip().partition(':')
                    if sep and k.strip() in keys:
                        vals[k.strip()] = v.strip()
            cols.append((f'{"kitt" if t == "kitt" else "LIO"}, {d}', vals))
    if not cols:
        return []
    rows = [[k] + [c[1].get(k, '-') for c in cols] for k in keys]
    return md_table(['as seen by the initiator'] + [c[0] for c in cols], rows, len(cols) + 1)


def timing(env):
    """(rounds, runtime, ramp) from env.txt's "rounds N runtime N ramp N"."""
    w = ('rounds ' + env.get('rounds', '')).split()
    d = dict(zip(w[0::2], w[1::2]))
    try:
        return int(d['rounds']), int(d['runtime']), int(d['ramp'])
    except (KeyError, ValueError):
        return 0, 0, 0


def host_load_text(runs, max_other):
    """What else the host ran during the jobs, per round."""
    timed = [r for r in runs if r.get('other') is not None]
    if not timed:
        return ['The host\'s own load was not sampled.', '']
    loads = [r['other'] for r in timed]
    busy = [r for r in timed if r['other'] > BUSY]
    L = [f'Other processes on the host used {statistics.median(loads):.2f} CPUs '
         f'(median over the jobs, max {max(loads):.2f}); {len(busy)} of {len(timed)} '
         f'job runs saw more than {BUSY} CPUs, and their numbers are suspect.']
    per_round = {}
    for r in timed:
        per_round.setdefault(r['round'], []).append(r['other'])
    L[0] += ' By round: ' + ', '.join(
        f'{rnd}: {statistics.mean(v):.2f}' for rnd, v in sorted(per_round.items())) + '.'
    if max_other is not None:
        gone = [r for r in runs if r.get('excluded')]
        L[0] += (f' Runs above {max_other} CPUs are left out of the tables '
                 f'({len(gone)} runs).')
    return L + ['']


def write_markdown(path, raw, runs, agg, env, host, max_other=None):
    backends = [b for b in env.get('backends', 'null brd').split()]
    jobs_seen = {r['job'] for r in runs}
    jobs = [j for j in JOB_ORDER if j in jobs_seen] + sorted(jobs_seen - set(JOB_ORDER))
    failed = [r for r in runs if not r['ok']]
    rounds = max((r['round'] for r in runs), default=0)

    L = ['# kitt vs LIO: benchmark results', '']
    L.append(f'Generated by `make bench` on {host.get("date", "?")} at commit '
             f'{host.get("commit", "?")}. Guest kernel {env.get("kernel", "?")}, '
             f'{env.get("cpus", "?")} vCPUs under QEMU TCG '
             f'({host.get("qemu", "?")}); host: {host.get("host_cpus", "?")} CPUs, '
             f'{host.get("host_cpu", "?")}, load {host.get("host_load_start", "?")} '
             f'at start and {host.get("host_load_end", "?")} at the end.')
    L.append('')
    L.append(f'{rounds} interleaved rounds; per job {timing(env)[1]} s measured after '
             f'{timing(env)[2]} s of ramp; fio with libaio, direct=1. Median of the '
             f'rounds; "per round" is the range of kitt/LIO of the rounds taken one '
             f'by one; spread is (max - min) / median of each target\'s rounds. '
             f'kitt/LIO above 1 is '
             f'better for IOPS and MB/s, below 1 for latency, CPU and context '
             f'switches. "raw" is fio on the backing device itself in the same '
             f'boot, the ceiling. CPU is the busy time of all vCPUs (/proc/stat, '
             f'initiator, fio and target together) over the whole job divided by '
             f'its I/Os.')
    L.append('')
    L.append(f'Settings of both targets and the initiator: `{env.get("settings", "")}`; '
             f'I/O scheduler none on the iSCSI disk. Run verdict: '
             f'{host.get("verdict", "?")} ({host.get("wall_seconds", "?")} s).')
    if env.get('fio_cpus', 'any') != 'any':
        L.append('')
        L.append(f'fio runs on guest CPU {env["fio_cpus"]} only (`FIO_CPUS`).')
    L.append('')
    if env.get('baseline'):
        L.append(f'**A/B run: the "LIO" column is not LIO** but kitt built from '
                 f'{env["baseline"]}, loaded in its place in the same boot '
                 f'(`BASE_KO`); kitt/LIO reads as new/old.')
        L.append('')
    L += host_load_text(runs, max_other)
    if failed:
        L.append(f'**{len(failed)} job runs failed** and are left out: ' +
                 ', '.join(f'r{r["round"]} {r["backend"]} {r["digest"]} {r["target"]} '
                           f'{r["job"]} (rc {r["rc"]})' for r in failed[:20]))
        L.append('')

    for be in backends:
        for dg in ('none', 'crc32c'):
            if not any(k[0] == be and k[1] == dg for k in agg):
                continue
            perf, cost = table_rows(agg, be, dg, jobs)
            L.append(f'## {BACKEND_TITLE.get(be, be)}, {DIGEST_TITLE[dg]}')
            L.append('')
            L += md_table(['job', 'metric', 'kitt', 'LIO', 'kitt/LIO', 'per round',
                           'spread kitt / LIO', 'raw', 'goal met'], perf, 2)
            L.append('')
            L += md_table(['job', 'kitt CPU us/IO', 'LIO CPU us/IO', 'kitt/LIO',
                           'per round', 'kitt cs/IO', 'LIO cs/IO', 'kitt/LIO',
                           'raw us/IO / cs/IO', 'goal met'], cost)
            L.append('')

    # The goals in one place.
    rows = []
    def order(k):
        return (k[0] != 'null', k[1] != 'none',
                JOB_ORDER.index(k[2]) if k[2] in JOB_ORDER else 99)

    for (be, dg, job) in sorted(agg, key=order):
        for metric in primary_metrics(job) + ['cpu']:
            g = goal_of(job, metric, dg)
            rt = ratio(agg, (be, dg, job), metric)
            if g is None or rt is None:
                continue
            rows.append([f'{BACKEND_TITLE.get(be, be)}, {dg}', JOB_TITLE.get(job, job),
                         METRIC_TITLE[metric], fmt(rt), goal_text(job, metric, rt, dg)])
    if rows:
        met = sum(1 for r in rows if r[4].startswith('yes'))
        L.append(f'## {GOALS_NAME}: {met} of {len(rows)} met')
        L.append('')
        L += md_table(['device, digests', 'job', 'metric', 'kitt/LIO', 'met'], rows, 3)
        L.append('')

    st = session_summary(raw)
    if st:
        L.append('## Negotiated settings')
        L.append('')
        L += st
        L.append('')
    with open(path, 'w') as f:
        f.write('\n'.join(L))


def rst_table(header, rows):
    """A reStructuredText simple table."""
    cells = [header] + rows
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    rule = '  '.join('=' * w for w in widths)

    def line(r):
        return '  '.join(c.ljust(w) for c, w in zip(r, widths)).rstrip()
    return [rule, line(header), rule] + [line(r) for r in rows] + [rule]


def write_rst(path, runs, agg, env):
    """The tables of results.md as reStructuredText, narrower: jobs by
    their names, short metric names, goals as yes or no, no raw CPU."""
    jobs_seen = {r['job'] for r in runs}
    jobs = [j for j in JOB_ORDER if j in jobs_seen]
    job_of = {v: k for k, v in JOB_TITLE.items()}
    short = {'p50 latency (us)': 'p50 us', 'p99 latency (us)': 'p99 us'}

    def goal(text):
        return text.split(' ')[0]

    L = []
    for be in env.get('backends', 'null brd').split():
        for dg in ('none', 'crc32c'):
            if not any(k[0] == be and k[1] == dg for k in agg):
                continue
            perf, cost = table_rows(agg, be, dg, jobs)
            perf = [[job_of.get(r[0], r[0]), short.get(r[1], r[1])] + r[2:8] + [goal(r[8])]
                    for r in perf]
            cost = [[job_of.get(r[0], r[0])] + r[1:8] + [goal(r[9])] for r in cost]
            title = f'{BACKEND_TITLE.get(be, be)}, {DIGEST_TITLE[dg]}'
            L += [title, '~' * len(title), '']
            L += rst_table(['job', 'metric', 'kitt', 'LIO', 'ratio', 'per round',
                            'spread', 'raw', 'goal'], perf)
            L.append('')
            L += rst_table(['job', 'kitt us/IO', 'LIO us/IO', 'ratio', 'per round',
                            'kitt cs/IO', 'LIO cs/IO', 'ratio', 'goal'], cost)
            L.append('')
    with open(path, 'w') as f:
        f.write('\n'.join(L))


def write_json(path, agg, env, host):
    out = {'env': env, 'host': host, 'results': []}
    for (be, dg, job), per_t in sorted(agg.items()):
        out['results'].append({'backend': be, 'digest': dg, 'job': job,
                               'targets': per_t})
    with open(path, 'w') as f:
        json.dump(out, f, indent=1, sort_keys=True)


def write_chart(path, agg):
    """Two panels of kitt/LIO ratios: the jobs' own metric, and CPU per I/O."""
    if not shutil.which('gnuplot'):
        print('bench-report: gnuplot not installed, no chart', file=sys.stderr)
        return
    series = [(be, dg) for be in ('null', 'brd') for dg in ('none', 'crc32c')
              if any(k[0] == be and k[1] == dg for k in agg)]
    jobs = [j for j in JOB_ORDER if any(k[2] == j for k in agg)]
    if not series or not jobs:
        return

    def block(metric_of):
        lines = []
        for job in jobs:
            metric = metric_of(job)
            vals = []
            for be, dg in series:
                rt = ratio(agg, (be, dg, job), metric)
                vals.append(f'{rt:.3f}' if rt is not None else '?')
            g = goal_of(job, metric)
            label = JOB_TITLE[job] + (' p50' if metric == 'p50' else '')
            lines.append(f'"{label}" ' + ' '.join(vals) + f' {g[0] if g else "?"}')
        return '\n'.join(lines)

    names = [f'{BACKEND_TITLE[be]}{" + CRC32C" if dg == "crc32c" else ""}'
             for be, dg in series]
    n = len(series)
    cols = ', '.join(f'$perf using {i + 2}:xtic(1) title "{names[i]}"' for i in range(n))
    ccols = ', '.join(f'$cpu using {i + 2}:xtic(1) title "{names[i]}"' for i in range(n))
    goal = ('{} using 0:%d with points pt 7 ps 1.5 lc rgb "black" title "goal", '
            '1 with lines dt 2 lc rgb "gray" notitle' % (n + 2))
    script = f'''
set terminal pngcairo size 1400,900 font "sans,10" noenhanced
set output "{path}"
set datafile missing "?"
$perf << EOD
{block(lambda j: primary_metrics(j)[0])}
EOD
$cpu << EOD
{block(lambda j: 'cpu')}
EOD
set multiplot layout 2,1 title "kitt / LIO (same boot, medians)"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set boxwidth 0.9
set grid ytics
set yrange [0:*]
set xtics rotate by 20 right nomirror
set key outside right top
set ylabel "kitt / LIO"
set title "IOPS and MB/s (higher is better), QD1 p50 latency (lower is better); circles: goal"
plot {cols}, {goal.format("$perf")}
set title "CPU time per I/O (lower is better); circles: goal"
plot {ccols}, {goal.format("$cpu")}
unset multiplot
'''
    res = subprocess.run(['gnuplot'], input=script, text=True, capture_output=True)
    if res.returncode != 0:
        print('bench-report: gnuplot failed:\n' + res.stderr, file=sys.stderr)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--max-other-load', type=float, default=None, metavar='CPUS')
    ap.add_argument('raw')
    ap.add_argument('out')
    args = ap.parse_args()
    raw, out = args.raw, args.out
    env = read_kv(os.path.join(raw, 'env.txt'))
    host = read_kv(os.path.join(raw, 'host.txt'))
    _, runtime, ramp = timing(env)
    runs = load_runs(raw, runtime + ramp)
    samples = load_hostload(raw)
    hz = int(host.get('host_hz', '100') or 100)
    for r in runs:
        if r.get('t_start', '').isdigit() and r.get('t_end', '').isdigit():
            r['other'] = other_load(samples, int(r['t_start']), int(r['t_end']), hz)
        if args.max_other_load is not None and r.get('other') is not None:
            r['excluded'] = r['other'] > args.max_other_load
    agg = aggregate(runs)
    os.makedirs(out, exist_ok=True)
    write_markdown(os.path.join(out, 'results.md'), raw, runs, agg, env, host,
                   args.max_other_load)
    write_json(os.path.join(out, 'results.json'), agg, env, host)
    write_rst(os.path.join(out, 'results.rst'), runs, agg, env)
    write_chart(os.path.join(out, 'results.png'), agg)
    return 0


if __name__ == '__main__':
    sys.exit(main())
