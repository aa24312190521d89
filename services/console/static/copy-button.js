// Copy buttons: each copies its data-copy text and says so; without the Clipboard API the text
// stays on the page to select by hand.
(function () {
  for (const button of document.querySelectorAll('[data-copy]')) {
    const label = button.textContent;
    button.addEventListener('click', async () => {
      try {
        await navigator.clipboard.writeText(button.dataset.copy);
        button.textContent = 'Copied';
      } catch {
        button.textContent = 'Select and copy it by hand';
      }
      setTimeout(() => (button.textContent = label), 2000);
    });
  }
})();
