// Adds to the plain form: when the answer was given (client clock and time since the question appeared), and keys:
// left/right arrows or F/J choose a side, 1-5 set the confidence rating.
const form = document.getElementById('answer-form');
let shownAt = performance.now();
let sent = false;

// a page restored by the back/forward cache is a fresh look at the question
window.addEventListener('pageshow', event => {
  if (event.persisted) {
    sent = false;
    shownAt = performance.now();
  }
});

form.addEventListener('submit', event => {
  if (sent) {
    event.preventDefault();
    return;
  }
  sent = true;
  document.getElementById('client-time').value = new Date().toISOString();
  document.getElementById('response-ms').value = String(Math.round(performance.now() - shownAt));
});

document.addEventListener('keydown', event => {
  if (event.altKey || event.ctrlKey || event.metaKey) {
    return;
  }
  const side = { ArrowLeft: 'left', f: 'left', F: 'left', ArrowRight: 'right', j: 'right', J: 'right' }[event.key];
  if (side) {
    event.preventDefault();
    const button = document.getElementById('choose-' + side);
    if (form.requestSubmit) {
      form.requestSubmit(button);
    } else {
      button.click();
    }
  } else if (/^[1-5]$/.test(event.key)) {
    const radio = form.querySelector('input[name="rating"][value="' + event.key + '"]');
    if (radio) {
      radio.checked = true;
    }
  }
});
