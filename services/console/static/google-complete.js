// Auth's Google callback sent the browser here with the token pair (or a second-factor
// challenge) in the URL fragment, which browsers never send to a server. This hands it to the
// console (same origin, CSRF header) to keep server-side, and takes it out of the address bar
// and history first, so the tokens stay nowhere in the browser.
(function () {
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const fragment = window.location.hash.slice(1);
  const state = new URLSearchParams(window.location.search).get('state') || '';
  window.history.replaceState(null, '', window.location.pathname);

  const fail = (message) => {
    document.querySelector('[data-google-progress]').hidden = true;
    const box = document.querySelector('[data-google-error]');
    box.textContent = message;
    box.hidden = false;
    document.querySelector('[data-google-again]').hidden = false;
  };

  fetch(window.location.pathname, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
    body: JSON.stringify({ state, fragment }),
    credentials: 'same-origin',
  })
    .then(async (response) => {
      const json = await response.json().catch(() => ({}));
      if (response.ok && json.next) return window.location.assign(json.next);
      fail((json.error && json.error.message) || 'The sign-in could not be finished. Please try again.');
    })
    .catch(() => fail('The sign-in could not be finished. Please try again.'));
})();
