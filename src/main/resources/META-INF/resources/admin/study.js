// The study pages: create a study, save a draft's design as JSON, open / close / delete.
const newStudy = document.getElementById('new-study');
if (newStudy) {
  newStudy.addEventListener('submit', async event => {
    event.preventDefault();
    const name = document.getElementById('new-study-name').value;
    try {
      const response = await send('POST', '/admin/studies', JSON.stringify({ name }), 'application/json');
      const study = await json(response);
      if (!response.ok) throw new Error(study.error);
      window.location = '/admin/studies/' + study.id;
    } catch (e) {
      document.getElementById('new-study-error').textContent = e.message;
    }
  });
}

const studyPage = document.getElementById('study');
if (studyPage) {
  const id = studyPage.dataset.study;
  const form = document.getElementById('design');

  function design() {
    const data = new FormData(form);
    const number = name => Number(data.get(name));
    const photos = role => [...form.querySelectorAll('select[data-photo]')]
      .filter(s => s.value === role).map(s => Number(s.dataset.photo));
    return {
      conditions: data.getAll('conditions'), imageIds: photos('trial'), practiceImageIds: photos('practice'),
      questionsPerImage: number('questionsPerImage'), minGap: number('minGap'), minPFull: number('minPFull'),
      practiceItems: number('practiceItems'), attentionChecks: number('attentionChecks'),
      sagRoots: number('sagRoots'), sagDepth: number('sagDepth'), sagChildren: number('sagChildren'),
      askConfidence: data.get('askConfidence') !== null, activeMinutes: number('activeMinutes'),
      consent: data.get('consent'), instructions: data.get('instructions'),
      completionCode: data.get('completionCode'), redirectUrl: data.get('redirectUrl'), seed: number('seed'),
      platform: data.get('platform'),
    };
  }

  form.addEventListener('submit', async event => {
    event.preventDefault();
    const result = document.getElementById('save-result');
    try {
      const response = await send('POST', '/admin/studies/' + id,
        JSON.stringify({ name: new FormData(form).get('name'), design: design() }), 'application/json');
      const study = await json(response);
      if (!response.ok) throw new Error(study.error);
      window.location.reload();
    } catch (e) {
      result.textContent = e.message;
      result.className = 'error';
    }
  });

  const simulate = document.getElementById('simulate');
  if (simulate) {
    simulate.addEventListener('submit', async event => {
      event.preventDefault();
      const result = document.getElementById('simulate-result');
      result.textContent = 'running...';
      const data = new FormData(simulate);
      try {
        const response = await send('POST', '/admin/studies/' + id + '/results/simulate',
          JSON.stringify({ participants: Number(data.get('participants')), strategy: data.get('strategy') }),
          'application/json');
        const summary = await json(response);
        if (!response.ok) throw new Error(summary.error);
        result.textContent = summary.participants + ' simulated participants gave ' + summary.answers
          + ' answers. See the analysis with "simulated" sessions.';
      } catch (e) {
        result.textContent = e.message;
      }
    });
  }

  document.querySelectorAll('button[data-preview]').forEach(button => button.addEventListener('click', async () => {
    try {
      const response = await send('POST', '/admin/studies/' + id + '/preview/' + button.dataset.preview);
      const preview = await json(response);
      if (!response.ok) throw new Error(preview.error);
      window.location = preview.page;
    } catch (e) {
      document.getElementById('action-error').textContent = e.message;
    }
  }));

  document.querySelectorAll('button[data-action]').forEach(button => button.addEventListener('click', async () => {
    const action = button.dataset.action;
    if (action === 'delete' && !window.confirm('Delete this draft?')) return;
    try {
      const response = action === 'delete' ? await send('DELETE', '/admin/studies/' + id)
        : await send('POST', '/admin/studies/' + id + '/' + action);
      if (!response.ok) throw new Error((await json(response)).error);
      window.location = action === 'delete' ? '/admin/studies' : '/admin/studies/' + id;
    } catch (e) {
      document.getElementById('action-error').textContent = e.message;
    }
  }));
}
