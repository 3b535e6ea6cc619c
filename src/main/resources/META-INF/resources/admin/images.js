const imagePages = pager('image-pages', () => refreshImages());

async function refreshImages() {
  const response = await fetch('/admin/images.json?' + imagePages.query(), { credentials: 'same-origin' });
  if (!response.ok) return;
  const images = await json(response);
  imagePages.show(Number(response.headers.get('X-Total-Count') || images.length));
  const body = document.getElementById('images');
  body.replaceChildren(...images.map(image => {
    const job = image.job || {};
    const remove = element('button', { type: 'button', class: 'quiet' }, 'Delete');
    remove.addEventListener('click', async () => {
      if (confirm('Delete ' + image.fileName + ' and its explanations?')) {
        await send('DELETE', '/admin/images/' + image.id);
        refreshImages();
      }
    });
    return element('tr', { id: 'image-' + image.id },
      element('td', {}, element('img', { src: '/admin/images/' + image.id + '/original.png', width: '56', height: '56', alt: '' })),
      element('td', {}, element('a', { href: '/admin/images/' + image.id }, image.fileName)),
      element('td', {}, image.predicted ? image.predicted.label + ' (' + image.predicted.pFull.toFixed(3) + ')' : ''),
      element('td', { class: 'state-' + (job.state || 'none') }, (job.state || '') + ' ', progressBar(job.progress, job.state)),
      element('td', {}, remove));
  }));
}

document.getElementById('upload-form').addEventListener('submit', async event => {
  event.preventDefault();
  const files = document.getElementById('upload-files').files;
  const form = new FormData();
  for (const file of files) form.append('file', file, file.name);
  const result = document.getElementById('upload-result');
  result.textContent = 'Uploading…';
  let response, body;
  try {
    response = await send('POST', '/admin/images', form);
    body = await json(response);
  } catch (error) {
    result.textContent = 'Not stored: ' + error.message;
    result.className = 'error';
    return;
  }
  const rejected = (body.rejected || []).map(r => r.fileName + ': ' + r.error);
  result.textContent = response.ok
    ? 'Queued ' + body.images.length + ' image(s).' + (rejected.length ? ' Rejected: ' + rejected.join('; ') : '')
    : 'Not stored: ' + (rejected.length ? rejected.join('; ') : body.error);
  result.className = response.ok ? '' : 'error';
  refreshImages();
});

refreshImages();
setInterval(refreshImages, 2000);
