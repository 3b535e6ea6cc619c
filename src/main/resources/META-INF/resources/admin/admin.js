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

function duration(seconds) {
  const s = Math.round(seconds);
  return s < 60 ? s + ' s' : Math.floor(s / 60) + ' min ' + (s % 60) + ' s';
}
