#!/usr/bin/python3
"""Compares the authors' run, our run and the two replays, photo by photo, and prints a table and totals.

usage: compare.py THEIRS_DIR [RUN_DIR] [--ours DIR] [--replay-a DIR] [--replay-b DIR] [--json OUT.json]
                  [--photos STEM[,STEM...] | --photos @FILE] [--complete]

THEIRS_DIR  <stem>.json from authors_run.py run
RUN_DIR     holds ours/ (OursRun run), replay_theirs_algo/ (replay A: authors_run.py replay, their search on our
            values) and replay_ours_algo/ (replay B: OursRun replay, our search on their values); --ours, --replay-a
            and --replay-b name those folders one by one instead
--photos    only these photos (stems or file names, comma-separated, repeatable; @FILE: one per line)
--complete  only photos whose run and both replays are there (a run still in progress, or one whose replays failed)
--json      also writes {"rows": [...], "totals": {...}}

A photo is compared when THEIRS_DIR and ours/ both have it. Columns: see README.md.
"""
import argparse
import json
import os


def load(path):
    if not os.path.exists(path):
        return None
    with open(path) as fh:
        return json.load(fh)


def root_bits(doc):
    return [int(r['bits']) for r in doc['roots']]


def diverse_bits(doc):
    bits = root_bits(doc)
    return [bits[i] for i in doc['diverse']]


def sag_canon(doc):
    """The SAG as a forest: each tree as (bits, sorted children), roots in order."""
    sag = doc.get('sag') or {'nodes': [], 'edges': []}
    nodes = sag['nodes']
    children = {i: [] for i in range(len(nodes))}
    has_parent = set()
    for p, c in sag['edges']:
        children[p].append(c)
        has_parent.add(c)

    def canon(i):
        return (int(nodes[i]['bits']), tuple(sorted(canon(c) for c in children[i])))

    return tuple(canon(i) for i in range(len(nodes)) if i not in has_parent)


def sag_value_diff(t, o):
    tv = {int(n['bits']): n['relative'] for n in (t.get('sag') or {}).get('nodes', [])}
    ov = {int(n['bits']): n['relative'] for n in (o.get('sag') or {}).get('nodes', [])}
    common = set(tv) & set(ov)
    return max((abs(tv[b] - ov[b]) for b in common), default=0.0)


def fmt_patches(bits):
    return '{' + ','.join(str(k) for k in range(49) if bits >> k & 1) + '}'


def numerics(theirs, ours):
    te = {int(k): v for k, v in theirs['evaluated'].items()}
    oe = {int(k): v for k, v in ours['evaluated'].items()}
    common = set(te) & set(oe)
    diffs = [abs(te[b] - oe[b]) for b in common]
    need_t = 0.9 * theirs['pFull']
    need_o = 0.9 * ours['pFull']
    threshold_flips = [b for b in common if (te[b] > need_t) != (oe[b] > need_o)]
    # for each of their levels: the beam our values would pick from the same proposals (b+1 = 4 insufficient sets)
    beam_flips = 0
    pair_flips = 0
    for lv in theirs['levels']:
        props = [(int(b), p) for b, p in lv['proposals']]
        if not all(b in oe for b, _ in props):
            continue
        def beam(values, need):
            order = sorted(range(len(props)), key=lambda i: values[props[i][0]], reverse=True)
            out = []
            for i in order:
                if values[props[i][0]] > need:
                    continue
                out.append(props[i][0])
                if len(out) > 3:
                    break
            return out
        if beam(te, need_t) != beam(oe, need_o):
            beam_flips += 1
        distinct = sorted(set(b for b, _ in props))
        for i in range(len(distinct)):
            for j in range(i + 1, len(distinct)):
                a, b = distinct[i], distinct[j]
                if (te[a] - te[b]) * (oe[a] - oe[b]) < 0:
                    pair_flips += 1
    return {'common': len(common), 'maxAbs': max(diffs) if diffs else 0.0,
            'thresholdFlips': len(threshold_flips), 'levelBeamFlips': beam_flips, 'pairFlips': pair_flips,
            'pFullDiff': abs(theirs['pFull'] - ours['pFull'])}


def tie_effect(theirs):
    """Members whose successor list (their per-member argsort with used patches set to 2) differs from the list a
    single global ranking gives (what --ranking can express)."""
    ranking = theirs['ranking']
    differ = 0
    for level, member, succ in theirs['successors']:
        expected = [p for p in ranking if not member >> p & 1][:len(succ)]
        if expected != succ:
            differ += 1
    return differ, len(theirs['successors'])


def photo_filter(specs):
    """Stems named by --photos values (comma-separated stems or file names, or @FILE with one per line)."""
    stems = set()
    for spec in specs:
        items = []
        if spec.startswith('@'):
            with open(spec[1:]) as fh:
                items = [line.split()[0] for line in fh if line.strip() and not line.startswith('#')]
        else:
            items = spec.split(',')
        for item in items:
            item = os.path.basename(item.strip())
            stem, ext = os.path.splitext(item)
            stems.add(stem if ext.lower() in ('.jpeg', '.jpg', '.png', '.json') else item)
    return stems


def main():
    ap = argparse.ArgumentParser(description='Parity table: the authors\' run vs ours, and the two replays.')
    ap.add_argument('theirs_dir')
    ap.add_argument('run_dir', nargs='?')
    ap.add_argument('--ours')
    ap.add_argument('--replay-a', help='their algorithm on our values (default RUN_DIR/replay_theirs_algo)')
    ap.add_argument('--replay-b', help='our algorithm on their values (default RUN_DIR/replay_ours_algo)')
    ap.add_argument('--json', dest='out_json')
    ap.add_argument('--photos', action='append', default=[])
    ap.add_argument('--complete', action='store_true')
    args = ap.parse_args()
    if not args.run_dir and not args.ours:
        ap.error('give RUN_DIR or --ours DIR')
    theirs_dir = args.theirs_dir
    ours_dir = args.ours or os.path.join(args.run_dir, 'ours')
    replay_a_dir = args.replay_a or os.path.join(args.run_dir or '', 'replay_theirs_algo')
    replay_b_dir = args.replay_b or os.path.join(args.run_dir or '', 'replay_ours_algo')
    out_json = args.out_json
    stems = sorted(f[:-5] for f in os.listdir(theirs_dir) if f.endswith('.json'))
    if args.photos:
        wanted = photo_filter(args.photos)
        stems = [s for s in stems if s in wanted]
    if args.complete:
        stems = [s for s in stems if all(os.path.exists(os.path.join(d, s + '.json'))
                                         for d in (ours_dir, replay_a_dir, replay_b_dir))]
    rows = []
    header = ('photo', 'cls', 'ties', 'succDiff', 'nT', 'nO', 'roots=', 'set=', 'div=', 'sag=', 'maxAbs', 'thrFl',
              'beamFl', 'A:theirAlgo/ourVals=ours', 'B:ourAlgo/theirVals=theirs', 'miss A/B')
    print('%-34s %4s %4s %8s %3s %3s %6s %4s %4s %4s %8s %5s %6s %9s %9s %8s' % header)
    tot = {k: 0 for k in ('photos', 'roots', 'sets', 'diverse', 'sag', 'replayA', 'replayB', 'replayBsag', 'sameClass',
                          'commonRoots', 'theirRoots', 'ourRoots')}
    for stem in stems:
        t = load(os.path.join(theirs_dir, stem + '.json'))
        o = load(os.path.join(ours_dir, stem + '.json'))
        if o is None:
            continue
        ra = load(os.path.join(replay_a_dir, stem + '.json'))
        rb = load(os.path.join(replay_b_dir, stem + '.json'))
        same_class = t['category'] == o['category']
        tr, orr = root_bits(t), root_bits(o)
        row = {'photo': stem, 'sameClass': same_class, 'ties': t['tiedValues'], 'nTheirs': len(tr), 'nOurs': len(orr),
               'rootsIdentical': tr == orr, 'rootSetsIdentical': set(tr) == set(orr),
               'commonRoots': len(set(tr) & set(orr)),
               'diverseIdentical': diverse_bits(t) == diverse_bits(o),
               'sagIdentical': sag_canon(t) == sag_canon(o), 'sagMaxRelDiff': sag_value_diff(t, o),
               'sagNodes': [len((t.get('sag') or {}).get('nodes', [])), len((o.get('sag') or {}).get('nodes', []))]}
        d, n = tie_effect(t)
        row['succDiffer'] = d
        row['succTotal'] = n
        row.update(numerics(t, o))
        their_beams = [lv['beam'] for lv in t['levels']]
        row['replayA'] = (ra is not None and root_bits(ra) == orr and diverse_bits(ra) == diverse_bits(o)
                          and [lv['beam'] for lv in ra['levels']] == o.get('beams'))
        row['replayB'] = (rb is not None and root_bits(rb) == tr and diverse_bits(rb) == diverse_bits(t)
                          and rb.get('beams') == their_beams)
        row['replayBsag'] = rb is not None and sag_canon(rb) == sag_canon(t)
        row['missingA'] = len(ra['missing']) if ra else None
        row['missingB'] = len(rb['missing']) if rb else None
        row['theirRoots'] = [fmt_patches(b) for b in tr]
        row['ourRoots'] = [fmt_patches(b) for b in orr]
        rows.append(row)
        tot['photos'] += 1
        tot['sameClass'] += same_class
        tot['roots'] += row['rootsIdentical']
        tot['sets'] += row['rootSetsIdentical']
        tot['diverse'] += row['diverseIdentical']
        tot['sag'] += row['sagIdentical']
        tot['replayA'] += row['replayA']
        tot['replayB'] += row['replayB']
        tot['replayBsag'] += row['replayBsag']
        tot['commonRoots'] += row['commonRoots']
        tot['theirRoots'] += len(tr)
        tot['ourRoots'] += len(orr)
        yn = lambda x: 'yes' if x else 'NO'
        print('%-34s %4s %4d %8s %3d %3d %6s %4s %4s %4s %8.2e %5d %6d %9s %9s %8s' % (
            stem[:34], yn(same_class), row['ties'], '%d/%d' % (d, n), len(tr), len(orr), yn(row['rootsIdentical']),
            yn(row['rootSetsIdentical']), yn(row['diverseIdentical']), yn(row['sagIdentical']), row['maxAbs'],
            row['thresholdFlips'], row['levelBeamFlips'], yn(row['replayA']), yn(row['replayB']),
            '%s/%s' % (row['missingA'], row['missingB'])))
    print()
    print('photos %(photos)d: same class %(sameClass)d; identical roots (sets and order) %(roots)d, identical root sets '
          '%(sets)d, identical diverse roots %(diverse)d, identical SAG %(sag)d; roots in common %(commonRoots)d of '
          '%(theirRoots)d theirs / %(ourRoots)d ours;\nreplay A (their algorithm on our values reproduces our roots, '
          'diverse roots and beams) %(replayA)d; replay B (our algorithm on their values reproduces theirs) %(replayB)d, '
          'and their SAG %(replayBsag)d' % tot)
    if rows:
        print('max |f_ours - f_theirs| over common sets: %.3g (median over photos %.3g); sets compared %d; threshold '
              'flips %d (photos %d); levels whose beam would flip %d (photos %d); order flips among a level\'s '
              'proposals %d; max |rel| difference of common SAG nodes %.3g' % (
                  max(r['maxAbs'] for r in rows), sorted(r['maxAbs'] for r in rows)[len(rows) // 2],
                  sum(r['common'] for r in rows), sum(r['thresholdFlips'] for r in rows),
                  sum(r['thresholdFlips'] > 0 for r in rows), sum(r['levelBeamFlips'] for r in rows),
                  sum(r['levelBeamFlips'] > 0 for r in rows), sum(r['pairFlips'] for r in rows),
                  max(r['sagMaxRelDiff'] for r in rows)))
    if out_json:
        with open(out_json, 'w') as fh:
            json.dump({'rows': rows, 'totals': tot}, fh, indent=1)


if __name__ == '__main__':
    main()
