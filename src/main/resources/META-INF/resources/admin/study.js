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

const importForm = document.getElementById('import-study');
if (importForm) {
  importForm.addEventListener('submit', async event => {
    event.preventDefault();
    try {
      const text = await document.getElementById('protocol-file').files[0].text();
      const response = await send('POST', '/admin/studies/import', text, 'application/json');
      const study = await json(response);
      if (!response.ok) throw new Error(study.error);
      window.location = '/admin/studies/' + study.id;
    } catch (e) {
      document.getElementById('import-error').textContent = e.message;
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
      platform: data.get('platform'), sagStyle: data.get('sagStyle'), rendering: data.get('rendering'),
      model: data.get('model'),
      allowMisclassified: data.get('allowMisclassified') !== null,
      questionKinds: Object.fromEntries([...form.querySelectorAll('input[data-kind]')]
        .map(input => [input.dataset.kind, Number(input.value)])),
    };
  }

  // the paper's settings, as far as the paper states them (the page lists what it does not)
  const preset = document.getElementById('paper-preset');
  if (preset) {
    preset.addEventListener('click', () => {
      form.querySelectorAll('input[name=conditions]').forEach(box => {
        box.checked = ['gradcam', 'igos', 'sag'].includes(box.value);
      });
      form.querySelector('select[name=sagStyle]').value = 'paper';
      form.querySelector('select[name=rendering]').value = 'model';
    });
  }

  const power = document.getElementById('power');
  power.addEventListener('submit', async event => {
    event.preventDefault();
    const data = new FormData(power);
    const result = document.getElementById('power-result');
    const accuracy = {};
    for (const [name, value] of data.entries()) {
      if (name.startsWith('accuracy-')) accuracy[name.substring(9)] = Number(value);
    }
    const optional = name => data.get(name) === '' ? null : Number(data.get(name));
    result.textContent = 'simulating...';
    try {
      const response = await send('POST', '/admin/studies/' + id + '/results/power', JSON.stringify({
        accuracy, questions: optional('questions'), spread: optional('spread'), power: optional('power'),
        alpha: optional('alpha'), minutes: optional('minutes'), hourlyRate: optional('hourlyRate'),
      }), 'application/json');
      const plan = await json(response);
      if (!response.ok) throw new Error(plan.error);
      const cost = plan.cost;
      result.textContent = (plan.power.requiredForAll
        ? plan.power.requiredForAll + ' participants per condition give ' + Math.round(100 * plan.power.target)
          + '% power for every comparison (' + cost.participants + ' in all)'
        : 'even 300 participants per condition do not reach that power')
        + (cost.total != null ? '; about ' + cost.total.toFixed(0) + ' at ' + cost.minutesPerParticipant.toFixed(1)
          + ' minutes each (' + cost.minutesFrom + ')' : '; minutes per participant: ' + cost.minutesFrom) + '.';
      const sizes = plan.power.curve.map(p => p.participants);
      const comparisons = Object.keys(plan.power.curve[0].power);
      echarts.init(document.getElementById('power-chart')).setOption({
        animation: false, tooltip: { trigger: 'axis' }, legend: {}, grid: { left: 50, right: 20, top: 40, bottom: 40 },
        xAxis: { type: 'category', data: sizes, name: 'participants per condition', nameLocation: 'middle', nameGap: 25 },
        yAxis: { type: 'value', min: 0, max: 1, name: 'power' },
        series: comparisons.map(c => ({ type: 'line', name: c, data: plan.power.curve.map(p => p.power[c]) }))
          .concat([{ type: 'line', name: 'all', data: plan.power.curve.map(p => p.all), lineStyle: { type: 'dashed' } }]),
      });
      document.getElementById('power-chart').dataset.drawn = 'true';
    } catch (e) {
      result.textContent = e.message;
    }
  });

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
