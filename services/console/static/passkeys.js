// The WebAuthn ceremonies, with @simplewebauthn/browser (served by the console). Each calls the
// console (same origin, CSRF header), which calls the auth API: no token reaches the page.
(function () {
  const webauthn = window.SimpleWebAuthnBrowser;
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const errorBox = document.querySelector('[data-passkey-error]');

  const post = async (path, body) => {
    const response = await fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
      body: JSON.stringify(body || {}),
      credentials: 'same-origin',
    });
    // A step-up or an ended session answers with a redirect to sign-in: follow it.
    if (response.redirected) {
      window.location.assign(response.url);
      return new Promise(() => {});
    }
    const json = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(json.message || 'The passkey could not be used. Please try again.');
    return json;
  };
  const showError = (error) => {
    if (!errorBox) return;
    // The person closing the browser's dialog is not an error worth shouting about.
    errorBox.textContent = error && error.name === 'NotAllowedError' ? 'The passkey request was cancelled.' : error.message;
    errorBox.hidden = false;
  };

  const signInButton = document.querySelector('[data-passkey-sign-in]');
  if (signInButton && webauthn.browserSupportsWebAuthn()) {
    const next = signInButton.dataset.next;
    const signIn = async (useBrowserAutofill) => {
      const { challenge_id, options } = await post('/sign-in/passkey/options');
      const response = await webauthn.startAuthentication({ optionsJSON: options, useBrowserAutofill });
      const done = await post('/sign-in/passkey', { challenge_id, response, next });
      window.location.assign(done.next);
    };
    signInButton.addEventListener('click', () => signIn(false).catch(showError));
    // Conditional UI: the browser offers passkeys in the e-mail field's autofill.
    webauthn.browserSupportsWebAuthnAutofill().then((supported) => {
      if (supported) signIn(true).catch(() => {});
    });
  } else if (signInButton) {
    signInButton.hidden = true;
  }

  const secondFactorButton = document.querySelector('[data-passkey-second-factor]');
  if (secondFactorButton) {
    secondFactorButton.addEventListener('click', async () => {
      try {
        const { options } = await post('/sign-in/second-factor/passkey/options');
        const response = await webauthn.startAuthentication({ optionsJSON: options });
        const done = await post('/sign-in/second-factor/passkey', { response });
        window.location.assign(done.next);
      } catch (error) {
        showError(error);
      }
    });
  }

  const registerButton = document.querySelector('[data-passkey-register]');
  if (registerButton) {
    registerButton.addEventListener('click', async () => {
      try {
        const options = await post('/account/security/passkeys/options');
        const response = await webauthn.startRegistration({ optionsJSON: options });
        const name = document.querySelector('[data-passkey-name]').value;
        const done = await post('/account/security/passkeys', { name, response });
        window.location.assign(done.next);
      } catch (error) {
        showError(error);
      }
    });
  }
})();
