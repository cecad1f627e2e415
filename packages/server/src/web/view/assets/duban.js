// Progressive enhancement only: every page works without this script.
'use strict';

document.addEventListener('DOMContentLoaded', () => {
  // REPORT form: a button to add one more evidence row, numbered like the others.
  for (const button of document.querySelectorAll('[data-add-evidence]')) {
    const rows = button.parentElement.querySelector('[data-evidence-rows]');
    if (!rows) continue;
    button.hidden = false;
    button.addEventListener('click', () => {
      const last = rows.lastElementChild;
      if (!last) return;
      const index = rows.children.length;
      const row = last.cloneNode(true);
      for (const element of row.querySelectorAll('[id], [for], [name], [aria-describedby]')) {
        for (const attribute of ['id', 'for', 'name', 'aria-describedby']) {
          const value = element.getAttribute(attribute);
          if (value !== null) element.setAttribute(attribute, value.replace(/(evidence[.-])\d+/g, `$1${index}`));
        }
      }
      for (const label of row.querySelectorAll('label')) label.textContent = label.textContent.replace(/^第\d+项/, `第${index + 1}项`);
      for (const input of row.querySelectorAll('input')) {
        input.value = '';
        input.required = false;
        input.removeAttribute('aria-invalid');
        input.removeAttribute('aria-describedby');
      }
      for (const error of row.querySelectorAll('.field-error')) error.remove();
      for (const field of row.querySelectorAll('.has-error')) field.classList.remove('has-error');
      rows.appendChild(row);
      row.querySelector('input')?.focus();
    });
  }

  // Forms that end a task's normal course ask first.
  for (const form of document.querySelectorAll('form[data-confirm]')) {
    form.addEventListener('submit', (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  }

  // A form that came back with errors: bring its first invalid field into view and focus.
  const invalid = document.querySelector('details[open] [aria-invalid="true"]');
  if (invalid instanceof HTMLElement) invalid.focus();
});
