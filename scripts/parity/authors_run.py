#!/usr/bin/python3
"""Runs the authors' SAG code (github.com/viv92/structured-attention-graphs, commit f076a83) on our TorchScript
model, instrumented, and writes what it did as JSON (the parity harness's "theirs" side).

Their code is imported, not copied or edited: from --authors DIR / $SAG_AUTHORS_DIR (an exported copy, e.g.
`git archive f076a83 -- '*.py' GroundTruth1000.txt | tar -x -C DIR`), or, when neither is given, exported by this
script from the local mirror ($SAG_AUTHORS_MIRROR, default /work/.mirror/viv92+structured-attention-graphs/repo) into
a temporary folder that is removed at exit. Their module functions are wrapped at run time to log every call.

Modes
  run IMAGE... --out DIR
      their pipeline as main_generate_sag.py runs it, with the settings our reference mode uses: cv2.imread +
      cv2.resize to 224x224, black baseline, top-1 class, Integrated_Mask (ups 30 -> 7x7, 2 iterations, 20
      integration steps, l1 1, tv 20; cv2.setRNGSeed(--seed) just before, so the noise is reproducible),
      beamSearch_topKSuccessors_roots (b=3, q=15, threshold 0.9, more than 10 roots stops, roots up to 49 patches),
      maximal_overlapThresh_set (overlap 1), the first 3 diverse roots, build_tree (expand above 40%, on the re-read
      perturbation_original.png as they do). Writes DIR/<stem>.json:
        image, category, pFull; mask7x7 (their float32 I-GOS mask, row-major, low = important); ranking
        (np.argsort(mask), default kind) and rankingStable (kind='stable'); tiedValues (49 - distinct values);
        roots [{bits, patches, confidence, relative}] in the order found; evaluated {bits: f(S)} (first value);
        calls [[bits, f(S), phase search|minimize, level]] in call order; distinctEvaluated; successors
        [[level, member bits, [their successor patches in order]]]; levels [{level, proposals [[bits, f]], sorted,
        beam, roots}]; nondeterministic [[bits, first, again]]; numpy, torch versions; diverse (indices into roots);
        dnf; sagRoots (bits); sag {nodes [{uid, bits, edge, relative}], edges [[parent, child] node indices]};
        seconds {igos, search, total}.
      Patch sets are bit masks: bit k = patch k = row * 7 + col (their mask entry 0 = patch shown).
  replay THEIRS.json OURS.json --out F
      their search and diverse-root selection, with every f(S) (and p_full) looked up in OURS.json's "evaluated"
      map (our values); sets our run never evaluated answer 0 and are listed in "missing" (--image IMG together
      without --no-model computes them with the model instead).

Use /usr/bin/python3 (Debian python3-torch 1.13, python3-opencv, python3-skimage, python3-scipy, python3-matplotlib,
python3-pygraphviz, python3-imageio, python3-torchvision: their modules import all of these), not a pyenv shim.
Env: SAG_AUTHORS_DIR, SAG_AUTHORS_MIRROR, SAG_MODEL_DIR (default /work/shared/models/mobilenet_v2), PARITY_THREADS
(torch threads, default 1; the mask is compared bit for bit, keep 1), PARITY_RECHECK_EVERY (default 25: a repeated
set is re-evaluated every 25th call and differences are recorded in "nondeterministic"; 0 = never).
"""
import argparse
import atexit
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import traceback

import numpy as np

AUTHORS_COMMIT = 'f076a831d21e96c814d6a738b8f607e5e991ac7b'
DEFAULT_MIRROR = '/work/.mirror/viv92+structured-attention-graphs/repo'
# the files their pipeline needs (Images/, Results/ and demo_images/ are not exported)
AUTHORS_FILES = ['search.py', 'utils.py', 'get_perturbation_mask.py', 'diverse_subset_selection.py',
                 'patch_deletion_tree.py', 'main_generate_sag.py', 'GroundTruth1000.txt', 'LICENSE']


def bits_of(mask):
    """Patch bit mask of an authors' mask (1,1,7,7), 0 = patch shown."""
    m = np.asarray(mask).reshape(-1)
    b = 0
    for k in np.where(m == 0)[0]:
        b |= 1 << int(k)
    return b


def patches_of(bits):
    return [k for k in range(49) if bits >> k & 1]


def export_authors(mirror, commit=AUTHORS_COMMIT):
    """git archive of their code at `commit` into a temporary folder (removed at exit)."""
    if not os.path.isdir(mirror):
        sys.exit('no --authors DIR, no $SAG_AUTHORS_DIR and no mirror at %s' % mirror)
    target = tempfile.mkdtemp(prefix='sag-authors-code-')
    atexit.register(shutil.rmtree, target, True)
    archive = subprocess.run(['git', '--git-dir=' + mirror, 'archive', commit, '--'] + AUTHORS_FILES,
                             check=True, stdout=subprocess.PIPE).stdout
    subprocess.run(['tar', '-x', '-C', target], input=archive, check=True)
    return target


def setup(authors_dir, threads):
    if not os.path.isfile(os.path.join(authors_dir, 'search.py')):
        sys.exit('%s has no search.py: not an export of the authors\' repository' % authors_dir)
    sys.path.insert(0, authors_dir)
    os.chdir(authors_dir)  # their code opens ./GroundTruth1000.txt in places
    import torch
    torch.set_num_threads(threads)
    import utils, search, diverse_subset_selection, patch_deletion_tree, get_perturbation_mask  # noqa: E401,F401
    return torch


def model_file(model_dir):
    """NAME.pt where NAME is the folder's name, else its only *.pt that is neither *_gradcam.pt nor a variant such as
    NAME.bf16.pt (as ModelFolder.java)."""
    named = os.path.join(model_dir, os.path.basename(os.path.normpath(model_dir)) + '.pt')
    if os.path.isfile(named):
        return named
    candidates = sorted(p for p in glob.glob(os.path.join(model_dir, '*.pt'))
                        if not p.endswith('_gradcam.pt') and '.' not in os.path.basename(p)[:-len('.pt')])
    if len(candidates) != 1:
        sys.exit('model folder %s must hold one TorchScript model (*.pt), found %d' % (model_dir, len(candidates)))
    return candidates[0]


def load_model(torch, model_dir):
    model = torch.jit.load(model_file(model_dir), map_location='cpu')
    model.eval()
    for p in model.parameters():
        p.requires_grad = False
    return model


class Recorder:
    """Wraps the authors' module-level functions to log what their search does."""

    def __init__(self, search, lookup=None, model=None):
        self.search = search
        self.phase = 'search'
        self.level = 0
        self.calls = []          # [bits, prob, phase, level] in call order
        self.values = {}         # bits -> float (first value seen)
        self.successors = []     # [level, member bits, [patches in their order]]
        self.levels = []         # per level: proposals [(bits, prob)], sorted order, next beam bits, roots after
        self.lookup = lookup     # replay: bits -> float32
        self.missing = {}
        self.model = model
        self.memo = {}
        self.check_every = int(os.environ.get('PARITY_RECHECK_EVERY', '25'))
        self.nondeterministic = []
        self._orig = {name: getattr(search, name) for name in (
            'get_mask_insertion_prob', 'remove_extra_patches', 'beamSearch_get_successor_indices',
            'beamSearch_get_topk_masks_roots', 'beamSearch_get_all_successors_mp')}
        search.get_mask_insertion_prob = self.get_mask_insertion_prob
        search.remove_extra_patches = self.remove_extra_patches
        search.beamSearch_get_successor_indices = self.successor_indices
        search.beamSearch_get_topk_masks_roots = self.topk_masks_roots
        search.beamSearch_get_all_successors_mp = self.all_successors

    def restore(self):
        for name, f in self._orig.items():
            setattr(self.search, name, f)

    def get_mask_insertion_prob(self, mask, img, blurred_img, model, category, view=0, use_cuda=0):
        b = bits_of(mask)
        if self.lookup is not None:
            if b in self.lookup:
                p = np.array(self.lookup[b], dtype=np.float32)
            elif self.model is None:
                p = np.array(0.0, dtype=np.float32)
                self.missing[b] = None
            else:
                p = self._orig['get_mask_insertion_prob'](mask, img, blurred_img, self.model, category, view, use_cuda)
                self.missing[b] = float(p)
        elif b in self.memo and (self.check_every <= 0 or len(self.calls) % self.check_every):
            # the model is deterministic at batch 1: a set evaluated again gets the same value (spot-checked below)
            p = self.memo[b].copy()
        else:
            p = self._orig['get_mask_insertion_prob'](mask, img, blurred_img, model, category, view, use_cuda)
            if b in self.memo and float(self.memo[b]) != float(p):
                self.nondeterministic.append([b, float(self.memo[b]), float(p)])
            self.memo.setdefault(b, p.copy())
        self.calls.append([b, float(p), self.phase, self.level])
        self.values.setdefault(b, float(p))
        return p

    def remove_extra_patches(self, *a, **k):
        before = self.phase
        self.phase = 'minimize'
        try:
            return self._orig['remove_extra_patches'](*a, **k)
        finally:
            self.phase = before

    def successor_indices(self, invalid_indices, ref_mask, numSuccessors):
        idx, n = self._orig['beamSearch_get_successor_indices'](invalid_indices, ref_mask, numSuccessors)
        member = 0
        for r, c in zip(invalid_indices[2], invalid_indices[3]):
            member |= 1 << int(r * 7 + c)
        self.successors.append([self.level, member, [int(r * 7 + c) for r, c in zip(idx[2][:n], idx[3][:n])]])
        return idx, n

    def all_successors(self, *a, **k):
        self.level += 1
        self.phase = 'search'
        return self._orig['beamSearch_get_all_successors_mp'](*a, **k)

    def topk_masks_roots(self, roots_mp, all_successors_mp, *a, **k):
        ordered = sorted(all_successors_mp, key=lambda x: x[1], reverse=True)
        masks, roots = self._orig['beamSearch_get_topk_masks_roots'](roots_mp, all_successors_mp, *a, **k)
        self.levels.append({
            'level': self.level,
            'proposals': [[bits_of(m), float(p)] for m, p, _ in all_successors_mp],
            'sorted': [bits_of(m) for m, p, _ in ordered],
            'beam': [bits_of(m) for m in masks],
            'roots': len(roots)})
        return masks, roots


def diverse_and_sag(args, model, img, blurred_img, upsampled_mask, category, probability, roots_mp):
    """Their diverse roots and SAG, as main_generate_sag.py computes them; the node values are what their drawing
    code recomputes (create_node_image) on the re-read PNG."""
    import diverse_subset_selection as dss
    import patch_deletion_tree as pdt
    import utils
    out = {}
    if len(roots_mp) == 0:
        out['diverse'] = []
        out['sagRoots'] = []
        out['sag'] = {'nodes': [], 'edges': []}
        return out
    maximal = dss.maximal_overlapThresh_set(roots_mp, args.overlap)
    out['diverse'] = [next(i for i, r in enumerate(roots_mp) if r is m) for m in maximal]
    shown = maximal[:args.sag_roots]
    dnf = ''
    for mask, _, _ in shown:
        dnf += ' | ' + ' & '.join('P' + str(b) for b in pdt.get_patch_boolean(mask))
    dnf = dnf[3:]
    out['dnf'] = dnf
    out['sagRoots'] = [bits_of(m) for m, _, _ in shown]
    tmp = tempfile.mkdtemp(prefix='sag-authors-')  # their node images; removed below
    nodes = []
    orig_create = pdt.create_node_image

    def create_node_image(parent_chain, index, edgepatch, parent_prob, ups, img_ori, blurred_img_ori, model_,
                          category_, path, full_image_probability):
        b = 0
        for lit, _ in parent_chain:
            b |= 1 << int(lit[1:])
        path_, rel = orig_create(parent_chain, index, edgepatch, parent_prob, ups, img_ori, blurred_img_ori,
                                 model_, category_, path, full_image_probability)
        nodes.append({'uid': parent_chain[index][1], 'bits': b, 'edge': edgepatch, 'relative': float(rel)})
        return path_, rel

    try:
        # as main_generate_sag.py: save perturbation_original.png, read it back, build the tree on it
        utils.save_perturbation_heatmap(tmp + '/perturbation_', upsampled_mask, img * 255, blurred_img, blur_mask=0)
        img_ori = cv2_imread_rgb(tmp + '/perturbation_original.png')
        pdt.create_node_image = create_node_image
        conjuncts = pdt.get_conjuncts_set(dnf)
        if len(conjuncts) > len(shown):
            conjuncts = conjuncts[:len(shown)]
        g = pdt.build_tree(conjuncts, 30, img_ori, blurred_img, model, category, tmp, args.expand, probability)
    finally:
        pdt.create_node_image = orig_create
        shutil.rmtree(tmp, ignore_errors=True)
    uid_to_index = {n['uid']: i for i, n in enumerate(nodes)}
    out['sag'] = {'nodes': nodes, 'edges': [[uid_to_index[int(e[0])], uid_to_index[int(e[1])]] for e in g.edges()]}
    return out


def cv2_imread_rgb(path):
    import cv2
    im = cv2.imread(path)
    return cv2.cvtColor(im, cv2.COLOR_RGB2BGR)


def run(args):
    torch = setup(args.authors, args.threads)
    model = load_model(torch, args.model)
    os.makedirs(args.out, exist_ok=True)
    failed = 0
    for path in args.images:
        stem = os.path.splitext(os.path.basename(path))[0]
        target = os.path.join(args.out, stem + '.json')
        if os.path.exists(target) and not args.force:
            print('exists, skipped:', target, flush=True)
            continue
        try:
            run_one(args, torch, model, path, stem, target)
        except Exception:  # one photo's failure does not stop the others
            failed += 1
            traceback.print_exc()
            print('%s: FAILED' % stem, file=sys.stderr, flush=True)
    if failed:
        sys.exit('%d photos failed' % failed)


def run_one(args, torch, model, path, stem, target):
    import cv2
    import get_perturbation_mask as gpm
    import search
    import utils
    t0 = time.time()
    img, blurred_img = gpm.Get_blurred_img(path, -1, model, resize_shape=(224, 224), Gaussian_param=[51, 50],
                                           Median_param=11, blur_type='Black', use_cuda=0)
    category, probability = list(utils.get_topn_categories_probabilities_pairs(img, model, 1, use_cuda=0))[0]
    cv2.setRNGSeed(args.seed)
    mask, upsampled_mask = gpm.Integrated_Mask(30, img, blurred_img, model, category, max_iterations=2,
                                               integ_iter=20, tv_beta=2, l1_coeff=0.01 * 100,
                                               tv_coeff=0.2 * 100, size_init=28, use_cuda=0)
    t1 = time.time()
    rec = Recorder(search)
    try:
        roots_mp = search.beamSearch_topKSuccessors_roots(mask, args.beam_width, args.successors, img,
                                                          blurred_img, model, category, args.threshold,
                                                          probability, args.max_roots, 49, use_cuda=0)
    finally:
        rec.restore()
    t2 = time.time()
    result = {
        'image': os.path.basename(path), 'category': int(category), 'pFull': float(probability),
        'mask7x7': [float(v) for v in mask.reshape(-1)],
        'ranking': [int(i) for i in np.argsort(mask.reshape(-1))],
        'rankingStable': [int(i) for i in np.argsort(mask.reshape(-1), kind='stable')],
        'tiedValues': int(49 - len(np.unique(mask.reshape(-1)))),
        'roots': [{'bits': bits_of(m), 'patches': patches_of(bits_of(m)), 'confidence': float(p),
                   'relative': float(r)} for m, p, r in roots_mp],
        'evaluated': {str(b): v for b, v in rec.values.items()},
        'calls': rec.calls, 'distinctEvaluated': len(rec.memo), 'successors': rec.successors, 'levels': rec.levels,
        'nondeterministic': rec.nondeterministic,
        'numpy': np.__version__, 'torch': torch.__version__,
    }
    result.update(diverse_and_sag(args, model, img, blurred_img, upsampled_mask, category, probability,
                                  roots_mp))
    result['seconds'] = {'igos': round(t1 - t0, 2), 'search': round(t2 - t1, 2), 'total': round(time.time() - t0, 2)}
    with open(target + '.part', 'w') as fh:
        json.dump(result, fh)
    os.replace(target + '.part', target)
    print('%s: class %d p=%.5f roots=%d diverse=%d calls=%d %.1fs' % (
        stem, category, probability, len(roots_mp), len(result['diverse']), len(rec.calls), time.time() - t0),
        flush=True)


def replay(args):
    torch = setup(args.authors, args.threads)
    import diverse_subset_selection as dss
    import search
    with open(args.theirs) as fh:
        theirs = json.load(fh)
    with open(args.ours) as fh:
        ours = json.load(fh)
    lookup = {int(b): v for b, v in ours['evaluated'].items()}
    mask = np.array(theirs['mask7x7'], dtype=np.float32).reshape(1, 1, 7, 7)
    category = theirs['category']
    p_full = np.float32(ours['pFull'])
    lookup[(1 << 49) - 1] = float(p_full)
    model = None
    img = np.zeros((224, 224, 3), dtype=np.float32)
    if not args.no_model and args.image:
        import get_perturbation_mask as gpm
        model = load_model(torch, args.model)
        img, _ = gpm.Get_blurred_img(args.image, -1, model, blur_type='Black', use_cuda=0)
    blurred = img * 0
    rec = Recorder(search, lookup=lookup, model=model)
    try:
        roots_mp = search.beamSearch_topKSuccessors_roots(mask, args.beam_width, args.successors, img, blurred, model,
                                                          category, args.threshold, p_full, args.max_roots, 49,
                                                          use_cuda=0)
    finally:
        rec.restore()
    result = {'image': theirs['image'], 'category': category, 'pFull': float(p_full),
              'roots': [{'bits': bits_of(m), 'patches': patches_of(bits_of(m)), 'confidence': float(p)}
                        for m, p, r in roots_mp],
              'missing': {str(b): v for b, v in rec.missing.items()},
              'levels': rec.levels, 'successors': rec.successors}
    if roots_mp:
        maximal = dss.maximal_overlapThresh_set(roots_mp, args.overlap)
        result['diverse'] = [next(i for i, r in enumerate(roots_mp) if r is m) for m in maximal]
    else:
        result['diverse'] = []
    result['sagRoots'] = [bits_of(roots_mp[i][0]) for i in result['diverse'][:args.sag_roots]]
    with open(args.out, 'w') as fh:
        json.dump(result, fh)
    print('%s: replay roots=%d missing=%d' % (theirs['image'], len(roots_mp), len(rec.missing)), flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('mode', choices=['run', 'replay'])
    ap.add_argument('inputs', nargs='*', help='run: photos; replay: THEIRS.json OURS.json')
    ap.add_argument('--authors', default=os.environ.get('SAG_AUTHORS_DIR'),
                    help='exported copy of their repository at f076a83 (default $SAG_AUTHORS_DIR, else exported '
                         'from $SAG_AUTHORS_MIRROR into a temporary folder)')
    ap.add_argument('--mirror', default=os.environ.get('SAG_AUTHORS_MIRROR', DEFAULT_MIRROR))
    ap.add_argument('--model', default=os.environ.get('SAG_MODEL_DIR', '/work/shared/models/mobilenet_v2'))
    ap.add_argument('--out', required=True)
    ap.add_argument('--seed', type=int, default=0, help='cv2.setRNGSeed before I-GOS (their noise)')
    ap.add_argument('--threads', type=int, default=int(os.environ.get('PARITY_THREADS', '1')))
    ap.add_argument('--beam-width', type=int, default=3)
    ap.add_argument('--successors', type=int, default=15)
    ap.add_argument('--max-roots', type=int, default=10)
    ap.add_argument('--threshold', type=float, default=0.9)
    ap.add_argument('--overlap', type=int, default=1)
    ap.add_argument('--sag-roots', type=int, default=3)
    ap.add_argument('--expand', type=float, default=40, help='their node_prob_thresh, in percent')
    ap.add_argument('--force', action='store_true', help='run: recompute photos whose JSON exists')
    ap.add_argument('--image', help='replay: the photo, used (with the model) only for sets our run never evaluated')
    ap.add_argument('--no-model', action='store_true', help='replay: sets our run never evaluated answer 0')
    args = ap.parse_intermixed_args()
    args.out = os.path.abspath(args.out)
    args.model = os.path.abspath(args.model)
    if args.mode == 'run':
        args.images = [os.path.abspath(p) for p in args.inputs]
        if not args.images:
            ap.error('run: no photos given')
    else:
        if len(args.inputs) != 2:
            ap.error('replay: give THEIRS.json OURS.json')
        args.theirs, args.ours = [os.path.abspath(p) for p in args.inputs]
        if args.image:
            args.image = os.path.abspath(args.image)
    args.authors = os.path.abspath(args.authors) if args.authors else export_authors(args.mirror)
    if args.mode == 'run':
        run(args)
    else:
        replay(args)


if __name__ == '__main__':
    main()
