import type { SignedUp } from '../../common/api-types.js';
import type { Route } from '../shell/router.js';
import { element } from '../shell/shell.js';
import { postJson } from './api.js';
import { siteFacts } from './site.js';

interface Field {
  readonly id: string;
  readonly label: string;
  readonly type: 'text' | 'password';
  readonly autocomplete: string;
}

/**
 * A form of labelled fields (at most 16 characters each, as version 1 carries) whose submit runs `send`
 * and shows its answer: `send`'s text, or the error in words. `title` names the form and its button.
 */
function apiForm<Name extends string>(
  title: string,
  fields: Readonly<Record<Name, Field>>,
  send: (inputs: Readonly<Record<Name, HTMLInputElement>>) => Promise<string>,
): HTMLFormElement {
  const inputs = {} as Record<Name, HTMLInputElement>;
  const labelled: HTMLElement[] = [];
  for (const [name, { id, label, type, autocomplete }] of Object.entries(fields) as Array<[Name, Field]>) {
    inputs[name] = element('input', { id, name: id, type, autocomplete, maxlength: 16, required: true });
    labelled.push(element('label', { for: id }, label), inputs[name]);
  }
  const message = element('p', { role: 'status', className: 'form-message' });
  const button = element('button', { type: 'submit' }, title);
  const form = element('form', { className: 'login', 'aria-label': title }, ...labelled, button, message);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    button.disabled = true;
    message.className = 'form-message';
    Promise.resolve()
      .then(() => send(inputs))
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
    navHidden: true,
    title: 'Sign up',
    render(main) {
      const form = apiForm(
        'Sign up',
        {
          name: { id: 'signup-name', label: 'Username', type: 'text', autocomplete: 'username' },
          password: { id: 'signup-password', label: 'Password', type: 'password', autocomplete: 'new-password' },
          again: { id: 'signup-again', label: 'Password again', type: 'password', autocomplete: 'new-password' },
        },
        async ({ name, password, again }) => {
          if (password.value !== again.value) throw new Error('The two passwords differ.');
          const account = await postJson<SignedUp>('/api/accounts', { name: name.value, password: password.value });
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
      // Say at once when sign-up is closed, instead of after the whole form is filled in.
      siteFacts().then(
        (site) => {
          if (site.registration === 'closed') {
            form.replaceWith(
              element(
                'p',
                { className: 'form-message error', role: 'alert' },
                'Sign-up is closed on this server: ask its operator for an account.',
              ),
            );
          }
        },
        () => undefined,
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
      const form = apiForm(
        'Change password',
        {
          name: { id: 'change-name', label: 'Username', type: 'text', autocomplete: 'username' },
          old: { id: 'change-old', label: 'Current password', type: 'password', autocomplete: 'current-password' },
          fresh: { id: 'change-new', label: 'New password', type: 'password', autocomplete: 'new-password' },
        },
        async ({ name, old, fresh }) => {
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
