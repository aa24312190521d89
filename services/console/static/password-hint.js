// Shows, as the person types, which parts of the password policy are met. Only a hint: the
// server's answer (weak_password) is the authority and is shown beside the field.
(function () {
  const input = document.querySelector('[data-password-policy]');
  const list = document.getElementById('f-password-rules');
  if (!input || !list) return;
  const rules = {
    length: (v) => v.length >= 8 && v.length <= 128,
    lower: (v) => /[a-z]/.test(v),
    upper: (v) => /[A-Z]/.test(v),
    digit: (v) => /[0-9]/.test(v),
    symbol: (v) => /[@$!%*?&]/.test(v),
  };
  const update = () => {
    list.hidden = input.value.length === 0;
    for (const item of list.querySelectorAll('[data-rule]')) {
      const met = rules[item.dataset.rule](input.value);
      item.dataset.met = String(met);
      item.setAttribute('aria-label', `${item.textContent}: ${met ? 'done' : 'still needed'}`);
    }
  };
  input.addEventListener('input', update);
  update();
})();
