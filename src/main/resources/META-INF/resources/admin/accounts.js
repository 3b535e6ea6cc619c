// The accounts page: create an account, delete another one (the page reloads to show the list as stored).
const accountError = document.getElementById('account-error');

document.getElementById('new-account').addEventListener('submit', async event => {
  event.preventDefault();
  const form = new FormData(event.target);
  const response = await send('POST', '/admin/accounts', JSON.stringify(Object.fromEntries(form)), 'application/json');
  const body = await json(response);
  if (!response.ok) {
    accountError.textContent = body.error;
    return;
  }
  window.location.reload();
});

document.querySelectorAll('.delete-account').forEach(button => button.addEventListener('click', async () => {
  if (!window.confirm('Delete the account ' + button.dataset.username + '?')) return;
  const response = await send('DELETE', '/admin/accounts/' + encodeURIComponent(button.dataset.username));
  if (!response.ok) {
    accountError.textContent = (await json(response)).error;
    return;
  }
  window.location.reload();
}));
