// The token field. Shown when the farm answers 401; the token goes to sessionStorage (this tab
// only, gone when it closes), never into the URL, and the page starts again with it.

import { token } from './api.js';

export function showLogin(why) {
  const form = document.getElementById('login');
  document.getElementById('farm-view').hidden = true;
  document.getElementById('job-view').hidden = true;
  document.getElementById('login-why').textContent = why
    ? `${why}. Type a token from the controller's --auth file.`
    : "This farm asks for a token (from the controller's --auth file).";
  form.hidden = false;
  document.getElementById('token').focus();
}

export function wireLogin(restart) {
  const form = document.getElementById('login');
  form.addEventListener('submit', event => {
    event.preventDefault();
    const field = document.getElementById('token');
    const value = field.value.trim();
    if (!value) return;
    token.set(value);
    field.value = '';
    form.hidden = true;
    restart();
  });

  const signOut = document.getElementById('sign-out');
  signOut.hidden = !token.get();
  signOut.addEventListener('click', () => {
    token.clear();
    restart();
  });
}
