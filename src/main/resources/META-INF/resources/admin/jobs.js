const jobPages = pager('job-pages', () => refreshJobs());

async function refreshJobs() {
  const response = await fetch('/admin/jobs/board.json?' + jobPages.query(), { credentials: 'same-origin' });
  if (!response.ok) return;
  const data = await json(response);
  jobPages.show(data.total);
  document.getElementById('throughput').textContent = data.imagesPerHour + ' images in the last hour; '
    + (data.meanSeconds ? duration(data.meanSeconds) + ' per image; ' : '')
    + data.waiting + ' waiting' + (data.secondsLeft ? ', about ' + duration(data.secondsLeft) + ' left' : '');
  document.getElementById('jobs').replaceChildren(...data.jobs.map(job => {
    const actions = element('td', {});
    for (const action of job.state === 'failed' || job.state === 'cancelled' ? ['retry']
        : job.state === 'queued' || job.state === 'running' ? ['cancel'] : []) {
      const button = element('button', { type: 'button', class: 'quiet' }, action === 'retry' ? 'Retry' : 'Cancel');
      button.addEventListener('click', async () => { await send('POST', '/admin/jobs/' + job.id + '/' + action); refreshJobs(); });
      actions.append(button);
    }
    return element('tr', { id: 'job-' + job.id, 'data-state': job.state },
      element('td', {}, String(job.id)),
      element('td', {}, element('a', { href: '/admin/images/' + job.imageId }, job.fileName)),
      element('td', { class: 'state-' + job.state }, job.state + (job.phase && job.state === 'running' ? ' (' + job.phase + ')' : '')),
      element('td', {}, progressBar(job.progress, job.state), ' ' + Math.round(100 * job.progress) + '%'),
      element('td', {}, job.attempts + '/' + job.maxAttempts),
      element('td', { class: 'error' }, job.error || ''),
      actions);
  }));
}
refreshJobs();
setInterval(refreshJobs, 1000);
