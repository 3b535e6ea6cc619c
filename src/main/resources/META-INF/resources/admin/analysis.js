// Charts of the analysis page (Apache ECharts from its WebJar): mean participant accuracy per condition with its 95% t interval,
// and the response-time distribution of each condition.
const page = document.getElementById('analysis');

function errorBars(points) {
  return {
    type: 'custom', name: '95% interval', data: points,
    renderItem: (params, api) => {
      const x = api.value(0), low = api.coord([x, api.value(1)]), high = api.coord([x, api.value(2)]);
      const cap = api.size([1, 0])[0] * 0.15;
      const line = (x1, y1, x2, y2) => ({ type: 'line', shape: { x1, y1, x2, y2 }, style: { stroke: '#212121', lineWidth: 1.5 } });
      return { type: 'group', children: [line(low[0], low[1], high[0], high[1]),
        line(low[0] - cap, low[1], low[0] + cap, low[1]), line(high[0] - cap, high[1], high[0] + cap, high[1])] };
    },
    z: 10,
  };
}

function histogram(values, edges) {
  const counts = new Array(edges.length - 1).fill(0);
  values.forEach(v => {
    for (let i = 0; i < counts.length; i++) {
      if (v >= edges[i] && (v < edges[i + 1] || i === counts.length - 1)) { counts[i]++; break; }
    }
  });
  const total = values.length || 1;
  return counts.map(c => c / total);
}

async function draw() {
  const response = await fetch('/admin/studies/' + page.dataset.study + '/results/analysis.json?' + page.dataset.query,
    { credentials: 'same-origin' });
  const data = await json(response);
  const names = data.conditions.map(c => c.condition);
  const number = v => (typeof v === 'number' ? v : NaN);
  echarts.init(document.getElementById('accuracy-chart')).setOption({
    animation: false, tooltip: {}, grid: { left: 50, right: 20, top: 20, bottom: 30 },
    xAxis: { type: 'category', data: names },
    yAxis: { type: 'value', min: 0, max: 1, name: 'accuracy' },
    series: [
      { type: 'bar', name: 'accuracy', data: data.conditions.map(c => number(c.participantAccuracy.estimate)), itemStyle: { color: '#90caf9' },
        markLine: { silent: true, symbol: 'none', data: [{ yAxis: 0.5, name: 'chance' }], lineStyle: { type: 'dashed' } } },
      errorBars(data.conditions.map((c, i) => [i, number(c.participantAccuracy.low), number(c.participantAccuracy.high)])),
    ],
  });
  const all = Object.values(data.responseTimes).flat().map(ms => ms / 1000);
  const longest = all.reduce((a, b) => Math.max(a, b), 1);
  const top = Math.max(1, Math.ceil(Math.min(60, longest)));
  const edges = Array.from({ length: 21 }, (_, i) => i * top / 20);
  echarts.init(document.getElementById('time-chart')).setOption({
    animation: false, tooltip: { trigger: 'axis' }, legend: { top: 0 }, grid: { left: 50, right: 20, top: 30, bottom: 40 },
    xAxis: { type: 'category', name: 'seconds', nameLocation: 'middle', nameGap: 25,
      data: edges.slice(0, -1).map((e, i) => e.toFixed(1) + '-' + edges[i + 1].toFixed(1)) },
    yAxis: { type: 'value', name: 'share of answers' },
    series: Object.entries(data.responseTimes).map(([name, ms]) => ({
      type: 'line', name, smooth: true, data: histogram(ms.map(v => Math.min(v / 1000, top)), edges) })),
  });
  page.dataset.charts = 'drawn';
}

draw().catch(e => {
  document.getElementById('accuracy-chart').textContent = 'The charts could not be drawn: ' + e.message;
});
