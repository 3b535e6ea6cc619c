// Draws the SAG from the stored explanation with the paper's conventions: roots on top, each node the photo with
// only its patches visible, its confidence in percent of p_full, shaded boxes, the removed patch outlined in red.
const viewer = document.getElementById('viewer');
const imageId = viewer.dataset.image;
const SVG = 'http://www.w3.org/2000/svg';
const THUMB = 112, CELL_W = 132, CELL_H = 160, GRID = 7, SIZE = 224;

function svg(tag, attributes) {
  const node = document.createElementNS(SVG, tag);
  Object.entries(attributes).forEach(([k, v]) => node.setAttribute(k, v));
  return node;
}

function patchUrl(patches, size) {
  return '/admin/images/' + imageId + '/patches.jpg?set=' + patches.join(',');
}

function select(node, pFull) {
  document.getElementById('selected').hidden = false;
  document.getElementById('selected-image').src = patchUrl(node.patches);
  document.getElementById('selected-caption').textContent = 'Patches ' + node.patches.join(', ') + ': '
    + Math.round(100 * node.relative) + '% of p_full (p = ' + node.confidence.toFixed(3) + ')';
  document.querySelectorAll('.sag .node').forEach(g => g.classList.toggle('chosen', g.dataset.id === String(node.id)));
}

function draw(doc) {
  const nodes = doc.sag.nodes, edges = doc.sag.edges;
  const depth = new Array(nodes.length).fill(-1), children = {}, incoming = {};
  edges.forEach(e => { (children[e.parent] = children[e.parent] || []).push(e.child); incoming[e.child] = incoming[e.child] || e; });
  const queue = nodes.filter(n => n.root).map(n => n.id);
  queue.forEach(id => depth[id] = 0);
  while (queue.length) {
    const id = queue.shift();
    (children[id] || []).forEach(c => { if (depth[c] < 0) { depth[c] = depth[id] + 1; queue.push(c); } });
  }
  const rows = [];
  nodes.forEach(n => (rows[depth[n.id]] = rows[depth[n.id]] || []).push(n));
  const widest = Math.max(1, ...rows.map(r => r.length));
  const width = widest * CELL_W + 16, height = rows.length * CELL_H + 16;
  const root = svg('svg', { width, height, viewBox: '0 0 ' + width + ' ' + height, role: 'img', 'aria-label': 'SAG' });
  const position = {};
  rows.forEach((row, r) => row.forEach((n, i) => {
    position[n.id] = [8 + (widest - row.length) * CELL_W / 2 + i * CELL_W + (CELL_W - THUMB) / 2, 8 + r * CELL_H];
  }));
  edges.forEach(e => {
    const [x1, y1] = position[e.parent], [x2, y2] = position[e.child];
    root.append(svg('line', { x1: x1 + THUMB / 2, y1: y1 + THUMB + 26, x2: x2 + THUMB / 2, y2, stroke: '#9e9e9e' }));
  });
  const spacing = (SIZE - 1) / (GRID - 1), half = SIZE / (2 * GRID), scale = THUMB / SIZE;
  nodes.forEach(n => {
    const [x, y] = position[n.id];
    const g = svg('g', { class: 'node', 'data-id': n.id, tabindex: '0', role: 'button',
      'aria-label': 'patches ' + n.patches.join(' ') + ', ' + Math.round(100 * n.relative) + ' percent' });
    const fill = n.relative > 0.9 ? '#f5f5f5' : n.relative > 0.5 ? '#bdbdbd' : '#616161';
    g.append(svg('rect', { x: x - 4, y: y - 4, width: THUMB + 8, height: THUMB + 30, rx: 4, fill, stroke: '#757575' }));
    const picture = svg('image', { x, y, width: THUMB, height: THUMB });
    picture.setAttribute('href', patchUrl(n.patches));
    g.append(picture);
    const edge = incoming[n.id];
    if (edge) {
      const cx = (edge.removedPatch % GRID) * spacing, cy = Math.floor(edge.removedPatch / GRID) * spacing;
      const x0 = Math.max(0, cx - half), y0 = Math.max(0, cy - half);
      const x1 = Math.min(SIZE, cx + half), y1 = Math.min(SIZE, cy + half);
      const drop = 100 * edge.drop;
      g.append(svg('rect', { x: x + x0 * scale, y: y + y0 * scale, width: (x1 - x0) * scale, height: (y1 - y0) * scale,
        fill: 'none', stroke: '#e53935', 'stroke-width': drop < 20 ? 1 : drop < 60 ? 2.5 : 4.5,
        'stroke-opacity': drop < 20 ? 0.55 : drop < 60 ? 0.8 : 1 }));
    }
    const label = svg('text', { x: x + THUMB / 2, y: y + THUMB + 19, 'text-anchor': 'middle',
      fill: n.relative > 0.5 ? '#000' : '#fff', 'font-size': 14 });
    label.textContent = Math.round(100 * n.relative) + '%';
    g.append(label);
    g.addEventListener('click', () => select(n, doc.pFull));
    g.addEventListener('keydown', event => { if (event.key === 'Enter' || event.key === ' ') select(n, doc.pFull); });
    root.append(g);
  });
  document.getElementById('sag').replaceChildren(root);
  document.getElementById('roots').replaceChildren(...doc.roots.map(r => {
    const figure = element('figure', {}, element('img', { src: patchUrl(r.patches), width: '112', height: '112', alt: 'patches ' + r.patches.join(' ') }),
      element('figcaption', {}, r.patches.join(', ') + ': ' + Math.round(100 * r.relative) + '%'));
    return figure;
  }));
}

if (document.getElementById('sag')) {
  fetch('/admin/images/' + imageId + '/explanation.json' + (viewer.dataset.model
    ? '?model=' + encodeURIComponent(viewer.dataset.model) : ''), { credentials: 'same-origin' })
    .then(json).then(draw);
}

// Another model's explanation of this photo: queued, then followed on the jobs page
document.querySelectorAll('button.explain-with').forEach(button => button.addEventListener('click', () => {
  button.disabled = true;
  send('POST', '/admin/images/' + imageId + '/explain?model=' + encodeURIComponent(button.dataset.model))
    .then(json).then(job => { button.replaceWith('queued as job ' + job.id + ' (see Jobs)'); })
    .catch(error => { button.disabled = false; button.textContent = error.message; });
}));
