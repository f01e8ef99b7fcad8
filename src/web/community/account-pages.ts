import type { Route } from '../shell/router.js';
import { element } from '../shell/shell.js';
import { postJson } from './api.js';

function field(id: string, label: string, type: string, autocomplete: string): [HTMLLabelElement, HTMLInputElement] {
  return [
    element('label', { for: id }, label),
    element('input', { id, name: id, type, autocomplete, maxlength: 16, required: true }),
  ];
}

/** A form whose submit posts to the API and shows the answer (an error in words, or `done`'s text). */
function apiForm(
  label: string,
  fields: ReadonlyArray<[HTMLLabelElement, HTMLInputElement]>,
  submit: string,
  send: () => Promise<string> | string,
): HTMLFormElement {
  const message = element('p', { role: 'status', className: 'form-message' });
  const button = element('button', { type: 'submit' }, submit);
  const form = element('form', { className: 'login', 'aria-label': label }, ...fields.flat(), button, message);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    button.disabled = true;
    message.className = 'form-message';
    Promise.resolve()
      .then(send)
      .then(
        (text) => {
          message.textContent = text;
        },
        (error: unknown) => {
          message.className = 'form-message error';
          message.textContent = (error as Error).message;
        },
      )
      .finally(() => {
        button.disabled = false;
      });
  });
  return form;
}

/** `/signup`: a new account (when the server's registration is open). */
export function signupRoute(): Route {
  return {
    pattern: '/signup',
    nav: 'Sign up',
    title: 'Sign up',
    render(main) {
      const [nameLabel, name] = field('signup-name', 'Username', 'text', 'username');
      const [passwordLabel, password] = field('signup-password', 'Password', 'password', 'new-password');
      const [againLabel, again] = field('signup-again', 'Password again', 'password', 'new-password');
      const form = apiForm(
        'Sign up',
        [
          [nameLabel, name],
          [passwordLabel, password],
          [againLabel, again],
        ],
        'Sign up',
        async () => {
          if (password.value !== again.value) throw new Error('The two passwords differ.');
          const account = await postJson<{ name: string; rating: number }>('/api/accounts', {
            name: name.value,
            password: password.value,
          });
          password.value = '';
          again.value = '';
          return `Welcome, ${account.name}! Your account is ready (rating ${account.rating}): log in on the Play page.`;
        },
      );
      main.append(
        element(
          'div',
          { className: 'community account-page' },
          element('h1', {}, 'Sign up'),
          element(
            'p',
            { className: 'muted' },
            'A name and a password of 1 to 16 plain characters (letters, digits, punctuation). Names ignore case.',
          ),
          form,
          element('p', {}, element('a', { href: '/password' }, 'Change your password')),
        ),
      );
      return undefined;
    },
  };
}

/** `/password`: change a password; the old one proves who asks (the browser holds no session cookie). */
export function passwordRoute(): Route {
  return {
    pattern: '/password',
    title: 'Change password',
    render(main) {
      const [nameLabel, name] = field('change-name', 'Username', 'text', 'username');
      const [oldLabel, old] = field('change-old', 'Current password', 'password', 'current-password');
      const [newLabel, fresh] = field('change-new', 'New password', 'password', 'new-password');
      const form = apiForm(
        'Change password',
        [
          [nameLabel, name],
          [oldLabel, old],
          [newLabel, fresh],
        ],
        'Change password',
        async () => {
          await postJson('/api/password', { name: name.value, password: old.value, newPassword: fresh.value });
          old.value = '';
          fresh.value = '';
          return 'Your password is changed: use the new one from now on, in every client.';
        },
      );
      main.append(element('div', { className: 'community account-page' }, element('h1', {}, 'Change password'), form));
      return undefined;
    },
  };
}
