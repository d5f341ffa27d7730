// Holdfast console: live fragments and confirmations. Hand-written, no dependencies; loaded with
// defer from /console/assets, as the Content-Security-Policy allows no inline script.
'use strict';

// A form with data-confirm asks before it is sent.
document.addEventListener('submit', function (event) {
  var question = event.target.getAttribute('data-confirm');
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});

// An element with data-live="URL" is replaced by the HTML fragment at URL every data-every
// milliseconds. While someone types in it, it is left alone; when the session has ended (401)
// the page reloads, which leads to the login page.
function refresh(element) {
  var every = parseInt(element.getAttribute('data-every'), 10) || 3000;
  var again = function () { window.setTimeout(function () { refresh(element); }, every); };
  var active = document.activeElement;
  if (active && element.contains(active) && (active.tagName === 'INPUT' || active.tagName === 'TEXTAREA')) {
    again();
    return;
  }
  fetch(element.getAttribute('data-live'), { credentials: 'same-origin', headers: { 'Accept': 'text/html' } })
    .then(function (response) {
      if (response.status === 401) {
        window.location.reload();
        return null;
      }
      return response.ok ? response.text() : null;
    })
    .then(function (html) {
      if (html !== null) {
        element.innerHTML = html;
        element.setAttribute('data-refreshed', String(Date.now()));
        element.classList.remove('unreachable');
      }
    })
    .catch(function () { element.classList.add('unreachable'); })
    .finally(again);
}

document.querySelectorAll('[data-live]').forEach(function (element) {
  var every = parseInt(element.getAttribute('data-every'), 10) || 3000;
  window.setTimeout(function () { refresh(element); }, every);
});
