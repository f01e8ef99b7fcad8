import type { Seek } from '../../common/api-types.js';
import { BLACK, type Color, INITIAL_POSITION, other, WHITE } from '../../game/position.js';
import { BoardView } from '../board/board-view.js';
import { isGuestName, shownName } from '../community/player-name.js';
import { siteFacts } from '../community/site.js';
import type { Route } from '../shell/router.js';
import { element } from '../shell/shell.js';
import { ClockView } from './clock-view.js';
import { ComputerChooser } from './computer-chooser.js';
import { FriendsView } from './friends-view.js';
import { GameActions } from './game-actions.js';
import { GameOptionsView } from './game-options-view.js';
import { colorWord, numberedMoves } from './move-record.js';
import type { PlayCommands, PlayView } from './play-commands.js';
import type { ShownPly } from './play-session.js';
import { SeeksView } from './seeks-view.js';
import { TimeControlChooser } from './time-control-chooser.js';
import { timeControlName } from './time-controls.js';

const TITLE = 'Play · Checkers';
const YOUR_MOVE_TITLE = 'Your move · Checkers';
const CLOCK_TICK_MS = 100;

/**
 * The play page at `/`: the front page (what the site is, and every way to
 * start a game), log in, queue, play, game over. It draws the session's
 * snapshots and calls its commands.
 */
export function playRoute(session: PlayCommands): Route {
  return {
    pattern: '/',
    nav: 'Play',
    title: 'Play',
    render(main) {
      const page = new PlayPage(session);
      main.append(page.element);
      return () => page.detach();
    },
  };
}

/** `/invite/<32 hex>`: the play page, joining that invite (once logged in, with an account or as a guest). */
export function inviteRoute(session: PlayCommands): Route {
  return {
    pattern: '/invite/:code',
    title: 'Invited to a game',
    render(main, context) {
      const page = new PlayPage(session, { code: context.params.code ?? '', navigate: context.navigate });
      main.append(page.element);
      session.joinInvite(context.params.code ?? '');
      return () => page.detach();
    },
  };
}

interface InviteContext {
  readonly code: string;
  readonly navigate: (path: string) => void;
}

class PlayPage {
  readonly element = element('div', { className: 'play' });
  readonly #status = element('p', { className: 'status', role: 'status', id: 'status' });
  readonly #notice = element('p', { className: 'notice', role: 'note' });
  readonly #chooser: TimeControlChooser;
  readonly #computer: ComputerChooser;
  readonly #options: GameOptionsView;
  readonly #friends: FriendsView;
  readonly #intro: HTMLElement;
  readonly #inviteBanner = element(
    'section',
    { className: 'invite-banner', 'aria-label': 'Invitation', hidden: true },
    element('h1', {}, 'You are invited to a game of checkers'),
    element('p', {}, 'Play as a guest in one click, or log in with your account, and the game starts.'),
  );
  readonly #start: HTMLElement;
  readonly #joinQueue = element('button', { type: 'button', className: 'join-queue' }, 'Join the queue');
  readonly #queueNote = element('p', { className: 'action-note' });
  readonly #guestButton = element('button', { type: 'button', className: 'play-guest' }, 'Play as a guest');
  readonly #signUp = element('a', { className: 'button-link secondary', href: '/signup', hidden: true }, 'Sign up');
  readonly #seeks = new SeeksView();
  readonly #myClock = new ClockView('me');
  readonly #opponentClock = new ClockView('opponent');
  readonly #actions: GameActions;
  readonly #flip = element('button', { type: 'button', className: 'secondary' }, 'Flip board');
  #flipped = false;
  #view: PlayView | undefined;
  #ticker: number | undefined;
  /** Counts draws, so that a result panel waiting for an animation is not shown over a newer snapshot. */
  #drawCount = 0;
  readonly #loginError = element('p', { className: 'error', role: 'alert' });
  readonly #login: HTMLElement;
  readonly #lobby: HTMLElement;
  readonly #queue: HTMLElement;
  readonly #queueFacts = element('dl', { className: 'facts' });
  readonly #game: HTMLElement;
  readonly #board: BoardView;
  readonly #opponent = element('span', { className: 'player opponent' });
  readonly #me = element('span', { className: 'player me' });
  readonly #moves = element('ol', { className: 'moves', 'aria-label': 'Moves' });
  readonly #moveInput = element('input', {
    id: 'move-input',
    name: 'move',
    autocomplete: 'off',
    inputmode: 'numeric',
    placeholder: '11-15',
    spellcheck: 'false',
  });
  readonly #moveError = element('p', { className: 'error', role: 'alert' });
  readonly #over = element('section', { className: 'game-over', 'aria-label': 'Game over' });
  readonly #confirm: HTMLElement;
  #moveForm: HTMLFormElement | undefined;
  readonly #skip = element('button', { type: 'button', className: 'secondary' }, 'Skip animation');
  readonly #logoutButtons: HTMLButtonElement[] = [];
  /** Shown once the server says its demo accounts are still there (GET /api/site). */
  readonly #demoAccounts = element(
    'p',
    { className: 'demo-accounts', hidden: true },
    'Try a demo account: cam / mac, or jen / nej in a second window to play against yourself.',
  );
  readonly #unsubscribe: () => void;
  #lastPhase: string | undefined;
  #choosing = false;
  readonly #challengeSeeker = (seek: Seek) => {
    if (seek.timeControl) this.session.chooseTimeControl(seek.timeControl);
    this.session.challenge(seek.name);
  };

  constructor(
    private readonly session: PlayCommands,
    private readonly invite?: InviteContext,
  ) {
    this.#chooser = new TimeControlChooser((control) => session.chooseTimeControl(control));
    this.#computer = new ComputerChooser(window.localStorage, (level) => session.playComputer(level));
    this.#options = new GameOptionsView(session);
    this.#friends = new FriendsView(session);
    this.#actions = new GameActions(session);
    this.#intro = this.#buildIntro();
    this.#login = this.#buildLogin();
    this.#start = this.#buildStart();
    this.#lobby = this.#buildLobby();
    this.#queue = this.#buildQueue();
    this.#board = new BoardView({
      bottom: BLACK,
      interactive: true,
      label: 'Board',
      onMove: (move) => this.#played(session.play(move)),
    });
    this.#game = this.#buildGame();
    this.#confirm = this.#buildConfirm();
    this.element.append(
      this.#intro,
      this.#inviteBanner,
      this.#status,
      this.#notice,
      // Challenges to this player and its own offer show in the lobby, the queue and after a game alike.
      this.#friends.offers,
      this.#start,
      this.#login,
      this.#lobby,
      this.#seeks.element,
      this.#queue,
      this.#game,
      this.#confirm,
    );
    this.#unsubscribe = session.subscribe((snapshot, plies) => this.#draw(snapshot, plies));
    siteFacts().then(
      (site) => {
        this.#demoAccounts.hidden = !site.demoAccounts;
        this.#signUp.hidden = site.registration !== 'open';
      },
      () => undefined,
    );
  }

  detach(): void {
    this.#unsubscribe();
    this.#seeks.stop();
    this.#friends.stop();
    this.#stopTicking();
    this.#board.skipAnimations();
    document.title = TITLE;
  }

  #buildLogin(): HTMLElement {
    const username = element('input', { id: 'username', name: 'username', autocomplete: 'username', maxlength: 16 });
    const password = element('input', {
      id: 'password',
      name: 'password',
      type: 'password',
      autocomplete: 'current-password',
      maxlength: 16,
    });
    this.#guestButton.addEventListener('click', () => this.session.playAsGuest());
    const form = element(
      'form',
      { className: 'login-form', 'aria-label': 'Log in' },
      element('h2', {}, 'Log in'),
      element('label', { for: 'username' }, 'Username'),
      username,
      element('label', { for: 'password' }, 'Password'),
      password,
      element('div', { className: 'buttons' }, element('button', { type: 'submit' }, 'Log in'), this.#signUp),
      this.#loginError,
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.session.login(username.value.trim(), password.value);
      password.value = '';
    });
    const guest = element(
      'div',
      { className: 'guest-box' },
      element('h2', {}, 'No account?'),
      this.#guestButton,
      element(
        'p',
        { className: 'action-note' },
        'A guest plays casual games against the computer and friends, under a name the server makes.',
      ),
    );
    return element('section', { className: 'login', 'aria-label': 'Account' }, form, guest);
  }

  #buildIntro(): HTMLElement {
    return element(
      'section',
      { className: 'intro' },
      element('h1', {}, 'Play checkers'),
      element(
        'p',
        { className: 'site-intro' },
        'Play checkers (English draughts) online against people or the computer. ',
        element('a', { href: '/rules' }, 'The rules'),
      ),
      this.#demoAccounts,
    );
  }

  /** Every way to start a game, with the choices they share: on the front page and in the lobby. */
  #buildStart(): HTMLElement {
    this.#joinQueue.addEventListener('click', () => {
      this.session.joinQueue();
      // Logged out (or a guest, now logged out): the queue needs an account, so the login form is next.
      if (this.#view?.phase === 'login') this.#login.querySelector<HTMLInputElement>('#username')?.focus();
    });
    return element(
      'section',
      { className: 'start', 'aria-label': 'Start a game' },
      element('div', { className: 'choices' }, this.#chooser.element, this.#options.element),
      element(
        'div',
        { className: 'actions' },
        this.#computer.element,
        this.#friends.actions,
        element('div', { className: 'action' }, this.#joinQueue, this.#queueNote),
      ),
    );
  }

  #buildLobby(): HTMLElement {
    return element('section', { className: 'lobby', 'aria-label': 'Lobby' }, this.#logoutButton());
  }

  #buildQueue(): HTMLElement {
    const leave = element('button', { type: 'button', className: 'secondary' }, 'Leave the queue');
    leave.addEventListener('click', () => this.session.leaveQueue());
    return element(
      'section',
      { className: 'queue', 'aria-label': 'Queue' },
      element('h1', {}, 'Waiting for an opponent'),
      this.#queueFacts,
      leave,
    );
  }

  #buildGame(): HTMLElement {
    const numbers = element('input', { type: 'checkbox', id: 'show-numbers' });
    numbers.addEventListener('change', () => this.#board.setShowNumbers(numbers.checked));
    this.#skip.addEventListener('click', () => this.#board.skipAnimations());
    this.#flip.addEventListener('click', () => {
      this.#flipped = !this.#flipped;
      this.#flip.setAttribute('aria-pressed', String(this.#flipped));
      if (this.#view) this.#draw(this.#view, []);
    });
    this.#flip.setAttribute('aria-pressed', 'false');
    const moveForm = element(
      'form',
      { className: 'move-form' },
      element('label', { for: 'move-input' }, 'Type a move'),
      this.#moveInput,
      element('button', { type: 'submit' }, 'Play move'),
      this.#moveError,
    );
    this.#moveForm = moveForm;
    moveForm.addEventListener('submit', (event) => {
      event.preventDefault();
      const problem = this.session.moveText(this.#moveInput.value);
      this.#played(problem);
      if (!problem) this.#moveInput.value = '';
    });
    const options = element(
      'div',
      { className: 'board-options' },
      element('label', { className: 'check' }, numbers, ' Show square numbers'),
      this.#flip,
      this.#skip,
    );
    const boardColumn = element(
      'div',
      { className: 'board-column' },
      element('div', { className: 'player-row opponent-row' }, this.#opponent, this.#opponentClock.element),
      this.#board.element,
      element('div', { className: 'player-row me-row' }, this.#me, this.#myClock.element),
    );
    const side = element(
      'div',
      { className: 'side' },
      options,
      this.#actions.element,
      moveForm,
      this.#over,
      element('h2', {}, 'Moves'),
      this.#moves,
      this.#logoutButton(),
    );
    return element('section', { className: 'game', 'aria-label': 'Game' }, boardColumn, side);
  }

  #buildConfirm(): HTMLElement {
    const yes = element('button', { type: 'button', className: 'danger' }, 'Log out and forfeit');
    const no = element('button', { type: 'button' }, 'Keep playing');
    const box = element(
      'div',
      { className: 'confirm', role: 'alertdialog', 'aria-label': 'Log out?', hidden: true },
      element('p', {}, 'Logging out now forfeits this game: it counts as a loss. Log out anyway?'),
      yes,
      no,
    );
    yes.addEventListener('click', () => {
      box.hidden = true;
      this.session.logOut();
    });
    no.addEventListener('click', () => {
      box.hidden = true;
    });
    return box;
  }

  #logoutButton(): HTMLButtonElement {
    const button = element('button', { type: 'button', className: 'secondary logout' }, 'Log out');
    button.addEventListener('click', () => {
      if (this.session.logoutForfeits()) {
        this.#confirm.hidden = false;
        this.#confirm.querySelector('button')?.focus();
      } else {
        this.session.logOut();
      }
    });
    this.#logoutButtons.push(button);
    return button;
  }

  #played(problem: string | undefined): void {
    this.#moveError.textContent = problem ? `Cannot play that: ${problem}.` : '';
  }

  #draw(snapshot: PlayView, plies: readonly ShownPly[]): void {
    this.#view = snapshot;
    const drawCount = ++this.#drawCount;
    const { phase } = snapshot;
    const inGame = phase === 'game' || phase === 'over' || (phase === 'reconnecting' && snapshot.game !== undefined);
    const loggedOut = (phase === 'login' || phase === 'connecting') && snapshot.game === undefined;
    // After a game, "Choose another game" brings the lobby's choices back in place of the finished game.
    if (phase !== 'over') this.#choosing = false;
    const choosing = this.#choosing;
    this.#login.hidden = !loggedOut;
    this.#login.classList.toggle('busy', phase === 'connecting');
    this.#intro.hidden = !loggedOut || this.invite !== undefined;
    this.element.classList.toggle('invited', this.invite !== undefined);
    this.#inviteBanner.hidden = !loggedOut || this.invite === undefined;
    this.#start.hidden = !(loggedOut || phase === 'lobby' || choosing) || (loggedOut && this.invite !== undefined);
    this.#guestButton.hidden = snapshot.version !== 2;
    this.#joinQueue.disabled = snapshot.askingComputer;
    this.#queueNote.textContent =
      loggedOut || snapshot.guest ? 'Rated, against people: needs an account.' : 'Rated, paired by time control.';
    this.#lobby.hidden = phase !== 'lobby' && !choosing;
    if (this.invite && (phase === 'game' || phase === 'queue')) this.invite.navigate('/');
    this.#queue.hidden = phase !== 'queue';
    this.#game.hidden = !inGame || choosing;
    this.#seeks.setShown((!this.#login.hidden && !this.invite) || phase === 'lobby');
    this.#seeks.setChallenge(phase === 'lobby' ? this.#challengeSeeker : undefined, snapshot.username);
    if (phase !== 'game' && phase !== 'reconnecting') this.#confirm.hidden = true;
    this.#loginError.textContent = snapshot.error ?? '';
    this.#status.textContent = snapshot.status;
    this.#notice.textContent = snapshot.notice ?? '';
    this.#notice.hidden = !snapshot.notice;
    this.element.dataset.phase = phase;
    this.element.dataset.version = String(snapshot.version);
    this.#chooser.draw(snapshot.timeControls, snapshot.timeControl);
    this.#computer.draw(snapshot);
    this.#options.draw(snapshot);
    this.#friends.draw(snapshot);

    if (snapshot.queue) {
      const { position, size, rating } = snapshot.queue;
      this.#queueFacts.replaceChildren(
        element('dt', {}, 'Your place in the queue'),
        element('dd', { className: 'queue-position' }, String(position)),
        element('dt', {}, 'Players waiting'),
        element('dd', { className: 'queue-size' }, String(size)),
        element('dt', {}, 'Your rating'),
        element('dd', { className: 'my-rating' }, String(rating)),
        ...(snapshot.timeControl && snapshot.version === 2
          ? [element('dt', {}, 'Time control'), element('dd', {}, timeControlName(snapshot.timeControl))]
          : []),
      );
    }

    const game = snapshot.game;
    if (game) {
      const mine: Color = game.color ?? game.expectedColor;
      const bottom: Color = this.#flipped ? other(mine) : mine;
      this.#board.setBottom(bottom);
      const colour = (color: Color) => colorWord(color).toLowerCase();
      const opponentGuest = isGuestName(game.opponent);
      this.#opponent.replaceChildren(
        element('span', { className: 'player-name' }, shownName(game.opponent)),
        ...(opponentGuest ? [' ', guestMark()] : []),
        `${opponentGuest ? '' : ` · rating ${game.opponentRating}`}${game.color === undefined ? '' : ` · ${colour(mine === BLACK ? WHITE : BLACK)}`}`,
        ...(snapshot.standard?.opponentAway
          ? [element('span', { className: 'away' }, ' · away (connection lost)')]
          : []),
      );
      this.#me.replaceChildren(
        `${snapshot.username ?? 'You'} (you)`,
        ...(snapshot.guest ? [' ', guestMark()] : []),
        `${snapshot.guest ? '' : ` · rating ${game.myRating}`}${game.color === undefined ? '' : ` · ${colour(mine)}`}`,
      );
      // The row of the side drawn at the bottom goes below the board: flipping the board swaps the rows.
      this.#game.classList.toggle('flipped', this.#flipped);
      this.#moves.replaceChildren(
        ...numberedMoves(game.record).map((row) =>
          element('li', {}, `${row.black ?? '…'}${row.white === undefined ? '' : ` ${row.white}`}`),
        ),
      );
      this.#moves.scrollTop = this.#moves.scrollHeight;
      const shown = plies.filter((ply) => !ply.own);
      this.#board.setHint(phase === 'game' ? snapshot.standard?.hints.move : undefined);
      const showing = this.#board.show(game.position ?? INITIAL_POSITION, {
        plies: shown,
        lastMove: game.lastPly,
        movable: game.myTurn ? game.legal : [],
      });
      // The result panel waits for the last move's animation.
      if (phase === 'over') {
        this.#over.hidden = true;
        void showing.then(() => {
          if (drawCount === this.#drawCount) this.#drawEnding(snapshot);
        });
      }
      this.#moveInput.disabled = !game.myTurn;
      if (this.#moveForm) this.#moveForm.hidden = phase === 'over';
      this.#game.classList.toggle('my-turn', game.myTurn);
      if (phase === 'game' && this.#lastPhase !== 'game') this.#moveError.textContent = '';
      this.#moveInput.placeholder = snapshot.version === 2 ? '11-15 or 22x15x8' : '11-15';
    }
    if (!game || phase !== 'over') this.#drawEnding(snapshot);
    this.#actions.draw(snapshot);
    this.#drawClocks();
    document.title = game?.myTurn ? YOUR_MOVE_TITLE : TITLE;
    if (snapshot.standard?.clocks?.running && inGame) this.#startTicking();
    else this.#stopTicking();
    this.#lastPhase = phase;
  }

  #drawClocks(): void {
    const now = Date.now();
    const standard = this.#view?.game ? this.#view.standard : undefined;
    this.#myClock.draw(standard, now);
    this.#opponentClock.draw(standard, now);
  }

  #startTicking(): void {
    if (this.#ticker !== undefined) return;
    this.#ticker = window.setInterval(() => this.#drawClocks(), CLOCK_TICK_MS);
  }

  #stopTicking(): void {
    if (this.#ticker !== undefined) window.clearInterval(this.#ticker);
    this.#ticker = undefined;
  }

  #drawEnding(snapshot: PlayView): void {
    const ending = snapshot.ending;
    this.#over.hidden = snapshot.phase !== 'over' || !ending;
    if (!ending || snapshot.phase !== 'over') return;
    const headline = ending.outcome === 'won' ? 'You won' : ending.outcome === 'lost' ? 'You lost' : 'Draw';
    const change = snapshot.guest
      ? 'A casual game: guests have no rating.'
      : ending.oldRating !== undefined && ending.newRating !== undefined
        ? `Rating ${ending.oldRating} → ${ending.newRating} (${signed(ending.newRating - ending.oldRating)})`
        : 'Your new rating shows when you join the queue again.';
    const buttons: HTMLElement[] = [];
    if (!snapshot.guest) {
      const again = element('button', { type: 'button' }, 'Play again');
      again.title = 'Join the queue';
      again.addEventListener('click', () => this.session.joinQueue());
      buttons.push(again);
    }
    const standard = snapshot.standard;
    if (standard) {
      if (!standard.againstComputer) {
        const rematch = element('button', { type: 'button', className: 'secondary' }, 'Rematch');
        rematch.addEventListener('click', () => this.session.rematch());
        rematch.disabled = standard.rematch === 'asked-by-me' || standard.rematch === 'gone';
        rematch.title =
          standard.rematch === 'asked-by-opponent'
            ? 'Your opponent offers a rematch: accept it'
            : 'Colours swapped, same time control';
        buttons.unshift(rematch);
      }
      const computer = element('button', { type: 'button', className: 'secondary' }, 'Play the computer');
      computer.title = `Level ${this.#computer.level}`;
      computer.addEventListener('click', () => this.session.playComputer(this.#computer.level));
      computer.disabled = snapshot.askingComputer;
      buttons.push(computer);
      const other = element('button', { type: 'button', className: 'secondary' }, 'Choose another game');
      other.addEventListener('click', () => {
        this.#choosing = true;
        if (this.#view) this.#draw(this.#view, []);
      });
      buttons.push(other);
    }
    const rematchWords: Record<string, string> = {
      'asked-by-me': 'Rematch offered: waiting for your opponent.',
      'asked-by-opponent': `${snapshot.game?.opponent ?? 'Your opponent'} wants a rematch.`,
      gone: 'The rematch is off.',
    };
    const rematchNote = standard ? rematchWords[standard.rematch] : undefined;
    this.#over.replaceChildren(
      element('h2', { className: 'result' }, headline),
      element('p', { className: 'how' }, `${ending.how}.`),
      element('p', { className: 'rating-change' }, change),
      ...(standard?.hints.allowed
        ? [
            element(
              'p',
              { className: 'hints-used' },
              standard.hints.used === 0
                ? 'No hints used.'
                : `${standard.hints.used} hint${standard.hints.used === 1 ? '' : 's'} used.`,
            ),
          ]
        : []),
      ...(rematchNote ? [element('p', { className: 'rematch-note' }, rematchNote)] : []),
      element('div', { className: 'buttons' }, ...buttons),
    );
  }
}

function signed(value: number): string {
  return value > 0 ? `+${value}` : value < 0 ? `−${-value}` : '±0';
}

/** The mark beside a guest's name. */
function guestMark(): HTMLElement {
  return element('span', { className: 'guest-mark', title: 'A guest: no account, casual games only' }, 'guest');
}
