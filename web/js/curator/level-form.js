// @ts-check
// The form of the level being edited: its title, artist, date and credit,
// tolerance, mirroring, seated choices, which joints count, the limbs'
// weights, and its hint and story in each language the game speaks. It
// edits the level object itself; the page saves and checks after each change.

import { _ } from "../i18n.js";

/**
 * A level as the curator edits it (docs/levelpack.md has every field).
 * @typedef {object} Level
 * @property {string} image the picture's name in the record's images
 * @property {[number, number]} image_size width, height in pixels
 * @property {string} title
 * @property {string} artist
 * @property {string} date
 * @property {string} credit
 * @property {import("./pose-editor.js").Joint[]} keypoints one per keypoint, in the core's order
 * @property {Record<string, {hint: string, about: string}>} texts by language
 * @property {Record<string, number>} weights by limb; absent: 1
 * @property {number} tolerance
 * @property {boolean} mirror_ok
 * @property {boolean} upper_body_only
 * @property {"skip"} [seated] left out of a seated game
 */
/**
 * The core's keypoint order, bones, judged limbs and their English labels
 * (web/py/curator_main.py): never retyped here.
 * @typedef {{keypoints: string[], bones: Array<[number, number]>, limbs: string[],
 *   labels: Record<string, string>}} Schema
 */
/** @typedef {"title" | "artist" | "date" | "credit"} TextField a level field edited in a data-field input */
/** @typedef {"hint" | "about"} TextKey a level text, in each language */

const TEXT_KEYS = /** @type {const} */ (["hint", "about"]);

/**
 * What the form works on.
 * @typedef {object} FormSource
 * @property {() => Level | undefined} level the level being edited
 * @property {() => void} changed a value changed: save and check
 * @property {() => void} redraw a joint was counted in or out
 * @property {(lang: string, key: TextKey, value: string) => void} setText a text changed
 */

/**
 * An input and its words in one <label>.
 * @param {HTMLInputElement} input @param {string} words @param {boolean} [wordsFirst]
 */
function labelled(input, words, wordsFirst = false) {
  const label = document.createElement("label");
  if (wordsFirst) label.append(words, input);
  else label.append(input, words);
  return label;
}

export class LevelForm {
  /** @param {Document} doc curator.html @param {FormSource} source */
  constructor(doc, source) {
    this.doc = doc;
    this.source = source;
    this.#wire();
  }

  /** An <input> of curator.html. @param {string} id */
  #input(id) {
    const found = this.doc.getElementById(id);
    if (!found) throw new Error(`curator.html has no #${id}`);
    return /** @type {HTMLInputElement} */ (found);
  }

  /** The data-field inputs (title, artist, date, credit). */
  #fields() {
    return /** @type {NodeListOf<HTMLInputElement>} */ (this.doc.querySelectorAll("[data-field]"));
  }

  /**
   * Show `lvl` in the form.
   * @param {Level} lvl @param {Schema} schema
   * @param {import("../i18n.js").Language[]} languages its texts' languages
   */
  fill(lvl, schema, languages) {
    for (const input of this.#fields()) input.value = lvl[/** @type {TextField} */ (input.dataset.field)];
    this.#input("level-tolerance").value = String(lvl.tolerance);
    this.#input("level-mirror").checked = lvl.mirror_ok;
    this.#input("level-upper").checked = lvl.upper_body_only;
    this.#input("level-seated-skip").checked = lvl.seated === "skip";
    const byId = (/** @type {string} */ id) => /** @type {HTMLElement} */ (this.doc.getElementById(id));
    byId("joint-list").replaceChildren(
      ...schema.keypoints.map((name, k) => {
        const box = document.createElement("input");
        box.type = "checkbox";
        box.dataset.joint = name;
        box.checked = lvl.keypoints[k][2] > 0;
        box.addEventListener("change", () => {
          lvl.keypoints[k][2] = box.checked ? 1 : 0;
          this.source.redraw();
          this.source.changed();
        });
        return labelled(box, _(schema.labels[name]));
      }),
    );
    byId("weight-list").replaceChildren(
      ...schema.limbs.map((name) => {
        const input = document.createElement("input");
        input.type = "number";
        input.min = "0";
        input.max = "10";
        input.step = "0.5";
        input.dataset.weight = name;
        input.value = String(lvl.weights[name] ?? 1);
        input.addEventListener("change", () => {
          const value = Number(input.value);
          if (value === 1) delete lvl.weights[name];
          else lvl.weights[name] = value;
          this.source.changed();
        });
        return labelled(input, _(schema.labels[name]));
      }),
    );
    const fieldNames = {
      hint: (/** @type {string} */ language) => _("{language}: hint", { language }),
      about: (/** @type {string} */ language) => _("{language}: about the artwork", { language }),
    };
    byId("text-list").replaceChildren(
      ...languages.flatMap(({ code, name, dir }) =>
        TEXT_KEYS.map((key) => {
          const input = document.createElement("input");
          input.dataset.lang = code;
          input.dataset.text = key;
          input.lang = code;
          input.dir = dir;
          input.value = (lvl.texts[code] && lvl.texts[code][key]) || "";
          input.addEventListener("change", () => this.source.setText(code, key, input.value));
          return labelled(input, fieldNames[key](name), true);
        }),
      ),
    );
  }

  /**
   * Call `edit` with the level being edited and input `id` when it changes.
   * @param {string} id @param {(lvl: Level, input: HTMLInputElement) => void} edit
   */
  #onChange(id, edit) {
    const input = this.#input(id);
    input.addEventListener("change", () => this.#edit((lvl) => edit(lvl, input)));
  }

  /** @param {(lvl: Level) => void} edit */
  #edit(edit) {
    const lvl = this.source.level();
    if (!lvl) return;
    edit(lvl);
    this.source.changed();
  }

  #wire() {
    for (const input of this.#fields()) {
      input.addEventListener("change", () =>
        this.#edit((lvl) => (lvl[/** @type {TextField} */ (input.dataset.field)] = input.value)),
      );
    }
    this.#onChange("level-tolerance", (lvl, input) => (lvl.tolerance = Number(input.value)));
    this.#onChange("level-mirror", (lvl, input) => (lvl.mirror_ok = input.checked));
    this.#onChange("level-upper", (lvl, input) => (lvl.upper_body_only = input.checked));
    this.#onChange("level-seated-skip", (lvl, input) => {
      if (input.checked) lvl.seated = "skip";
      else delete lvl.seated;
    });
  }
}
