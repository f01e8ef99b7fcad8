import { element } from '../shell/shell.js';
import { type TimeControl, timeControlDescription, timeControlKey, timeControlName } from './time-controls.js';

/** The lobby's choice of time control (version 2): one radio button per control the server offers. */
export class TimeControlChooser {
  readonly element: HTMLFieldSetElement;
  readonly #options = element('div', { className: 'time-control-options' });
  #shown = '';

  constructor(private readonly onChoose: (control: TimeControl) => void) {
    this.element = element(
      'fieldset',
      { className: 'time-controls' },
      element('legend', {}, 'Time control'),
      this.#options,
    );
  }

  draw(controls: readonly TimeControl[], chosen: TimeControl | undefined): void {
    this.element.hidden = controls.length === 0;
    const key = `${controls.map(timeControlKey).join(',')}|${chosen ? timeControlKey(chosen) : ''}`;
    if (key === this.#shown) return;
    this.#shown = key;
    this.#options.replaceChildren(
      ...controls.map((control) => {
        const id = `time-control-${timeControlKey(control).replace('+', '-')}`;
        const input = element('input', { type: 'radio', name: 'time-control', id, value: timeControlKey(control) });
        input.checked = chosen !== undefined && timeControlKey(chosen) === timeControlKey(control);
        input.addEventListener('change', () => {
          if (input.checked) this.onChoose(control);
        });
        const name = timeControlName(control);
        return element(
          'label',
          { className: 'time-control', for: id },
          input,
          element('span', { className: 'time-control-name' }, name === 'no clock' ? 'No clock' : name),
          element('span', { className: 'time-control-words' }, timeControlDescription(control)),
        );
      }),
    );
  }
}
