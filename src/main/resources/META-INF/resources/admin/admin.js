// Shared by the admin pages: requests that change state carry the CSRF token of the page.
const csrfToken = document.querySelector('meta[name="csrf-token"]').content;

function send(method, url, body, contentType) {
  const headers = { 'X-CSRF-Token': csrfToken };
  if (contentType) headers['Content-Type'] = contentType;
  return fetch(url, { method, body, headers, credentials: 'same-origin' });
}

// JSON from the server, or an error with a readable message (a signed-out session gets the login page back).
async function json(response) {
  if (response.redirected && response.url.includes('/login')) {
    window.location.reload();
    throw new Error('signed out');
  }
  const type = response.headers.get('Content-Type') || '';
  if (!type.includes('application/json')) {
    throw new Error('the server answered ' + response.status + (response.status === 413 ? ' (upload too large)' : ''));
  }
  return response.json();
}

function element(tag, attributes, ...children) {
  const node = document.createElement(tag);
  Object.entries(attributes || {}).forEach(([k, v]) => node.setAttribute(k, v));
  children.forEach(c => node.append(c));
  return node;
}

function progressBar(fraction, state) {
  const bar = element('progress', { max: '1', value: String(fraction || 0), 'aria-label': state });
  return bar;
}

// A list shown a page at a time (newest first); the pager's buttons move the window and redraw.
function pager(id, redraw) {
  const state = { offset: 0, limit: 100, total: 0 };
  const root = document.getElementById(id);
  const newer = element('button', { type: 'button', class: 'quiet' }, 'Newer');
  const older = element('button', { type: 'button', class: 'quiet' }, 'Older');
  const info = element('span', {});
  newer.addEventListener('click', () => { state.offset = Math.max(0, state.offset - state.limit); redraw(); });
  older.addEventListener('click', () => { state.offset += state.limit; redraw(); });
  root.replaceChildren(newer, ' ', info, ' ', older);
  state.query = () => 'offset=' + state.offset + '&limit=' + state.limit;
  state.show = total => {
    state.total = total;
    info.textContent = total === 0 ? 'none' : (state.offset + 1) + '-' + Math.min(total, state.offset + state.limit)
      + ' of ' + total;
    newer.disabled = state.offset === 0;
    older.disabled = state.offset + state.limit >= total;
  };
  return state;
}

function duration(seconds) {
  const s = Math.round(seconds);
  return s < 60 ? s + ' s' : Math.floor(s / 60) + ' min ' + (s % 60) + ' s';
}
