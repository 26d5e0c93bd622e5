"""Applies a presenter :class:`~shell.presenter.Screen` to the page.

The page's ``document`` and Pyodide's ``add_event_listener`` are handed in
(by main.py, through shell/startup.py): this module imports nothing of the
browser.  It writes only what changed since the last frame: the page is
redrawn 15-30 times a second and most of the screen stays the same.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .challenges import Challenge
from .i18n import Words
from .ports import AddEventListener
from .presenter import GalleryCard, Screen

TRANSLATED_EVENT = "strike-a-pose:translated"  # the same name in js/offline.js
# Where the results gallery shows every artwork's story at once, instead of
# behind an "About this artwork" button: screens wide enough for it.
WIDE_SCREEN = "(min-width: 48em) and (orientation: landscape)"


class DomScreen:
    """The page's DOM as the game loop sees it (ports.GameScreen)."""

    def __init__(self, document: Any, add_event_listener: AddEventListener) -> None:
        self.document = document
        self._add_event_listener = add_event_listener
        self.body = document.body
        self._by_id: dict[str, Any] = {}
        self._applied: dict[object, object] = {}
        # Whether the error screen is up, kept here rather than read back from
        # the page on every frame (boot.js shows errors only before the game runs).
        self.showing_error = str(self.body.dataset.state) == "error"

    def element(self, element_id: str) -> Any:
        if element_id not in self._by_id:
            found = self.document.getElementById(element_id)
            if found is None:
                raise LookupError(f"index.html has no element with id {element_id!r}")
            self._by_id[element_id] = found
        return self._by_id[element_id]

    def on(self, element_id: str, kind: str, handler: Callable[[Any], None]) -> None:
        """Call ``handler(event)`` on each ``kind`` event of the element, for
        as long as the page lives."""
        self._add_event_listener(self.element(element_id), kind, handler)

    def _changed(self, key: object, value: object) -> bool:
        if self._applied.get(key, object()) == value:
            return False
        self._applied[key] = value
        return True

    def set_page_state(self, state: str) -> None:
        if self._changed("page_state", state):
            self.body.dataset.state = state
            self.showing_error = False

    def set_text(self, element_id: str, text: str) -> None:
        if self._changed(("text", element_id), text):
            # textContent, never innerHTML: pack texts are shown as plain text.
            self.element(element_id).textContent = text

    def set_attribute(self, element_id: str, name: str, value: str) -> None:
        if self._changed(("attr", element_id, name), value):
            self.element(element_id).setAttribute(name, value)

    def _set_list(self, element_id: str, items: tuple[tuple[str, str], ...]) -> None:
        """Fill an <ol> with one <li> per (text, status)."""
        if not self._changed(("list", element_id), items):
            return
        parent = self.element(element_id)
        parent.replaceChildren()
        for text, status in items:
            item = self.document.createElement("li")
            item.textContent = text
            item.dataset.status = status
            parent.appendChild(item)

    def _child(
        self, parent: Any, tag: str, class_name: str, text: str = "", auto_dir: bool = False
    ) -> Any:
        element = self.document.createElement(tag)
        element.className = class_name
        if text:
            element.textContent = text
        if auto_dir:  # a pack's text, maybe not in the page's language or direction
            element.dir = "auto"
        parent.appendChild(element)
        return element

    def _set_gallery(
        self, cards: tuple[GalleryCard, ...], picture_url: Callable[[str], str]
    ) -> None:
        """Fill the results gallery: one card per artwork, texts as plain text."""
        if not self._changed("gallery", cards):
            return
        parent = self.element("results-gallery")
        parent.replaceChildren()
        expanded = bool(self.document.defaultView.matchMedia(WIDE_SCREEN).matches)
        for card in cards:
            item = self._child(parent, "li", "card")
            item.dataset.status = card.status
            image = self._child(item, "img", "card-image")
            image.alt = card.alt
            image.src = picture_url(card.image)
            body = self._child(item, "div", "card-text")
            self._child(body, "h2", "card-title", card.title, auto_dir=True)
            self._child(body, "p", "card-meta", card.meta, auto_dir=True)
            outcome = self._child(body, "p", "card-outcome", card.outcome)
            outcome.dataset.status = card.status
            about = self._child(body, "details", "card-about")
            about.open = expanded
            self._child(about, "summary", "", card.about_label)
            self._child(about, "p", "", card.about, auto_dir=True)
            self._child(body, "p", "card-credit", card.credit, auto_dir=True)

    def apply(self, screen: Screen, picture_url: Callable[[str], str] = str) -> None:
        """Show ``screen``; ``picture_url`` turns a pack's picture name into a URL."""
        self.set_page_state(screen.page_state)
        for element_id, text in screen.texts.items():
            self.set_text(element_id, text)
        for (element_id, name), value in screen.attributes.items():
            self.set_attribute(element_id, name, value)
        for element_id, percent in screen.bar_percent.items():
            if self._changed(("bar", element_id), percent):
                # CSSOM writes are allowed by the CSP (no inline style markup).
                bar = self.element(element_id)
                bar.style.width = f"{percent}%"
                # The meter around it is a progressbar for assistive technology.
                if self._changed(("meter", element_id), round(percent)):
                    bar.parentElement.setAttribute("aria-valuenow", str(round(percent)))
        self._set_list("level-dots", tuple(("", status) for status in screen.level_dots))
        if screen.gallery:
            self._set_gallery(screen.gallery, picture_url)

    def translate_page(self, lang: str, words: Words) -> None:
        """Put the page's fixed texts in the visitor's language: each
        ``data-i18n`` element's text and each ``data-i18n-label`` element's
        aria-label is a message of the catalogues, in the context the
        attribute names (tools/messages.py finds them in the page); the page
        turns right-to-left for a language written so."""
        root = self.document.documentElement
        root.lang = lang
        root.dir = words.direction
        for element in self.document.querySelectorAll("[data-i18n]"):
            english = " ".join(str(element.textContent).split())
            element.textContent = words.pgettext(str(element.dataset.i18n), english)
        for element in self.document.querySelectorAll("[data-i18n-label]"):
            english = " ".join(str(element.getAttribute("aria-label") or "").split())
            label = words.pgettext(str(element.dataset.i18nLabel), english)
            element.setAttribute("aria-label", label)
        # Scripts that copy texts out of the page (js/offline.js) copy them again.
        event = self.document.createEvent("Event")
        event.initEvent(TRANSLATED_EVENT, False, False)
        self.document.dispatchEvent(event)

    # --- the start screen's choices ------------------------------------------

    def photos_ticked(self) -> bool:
        """Whether "Keep photos of me for a souvenir" is ticked."""
        return bool(self.element("photos-toggle").checked)

    def untick_photos(self) -> None:
        self.element("photos-toggle").checked = False

    def tick_photos(self) -> None:
        """The visitor ticked the photos on the loading screen (an early Start)."""
        self.element("photos-toggle").checked = True

    def python_start(self) -> str:
        """How Python started (js/python-loader.js writes it on the body):
        from the start-up snapshot or not, and why not."""
        dataset = self.body.dataset
        start = str(dataset.pythonStart or "?")
        if dataset.pythonStartReason:
            start += f" ({dataset.pythonStartReason})"
        return start

    def show_stats_note(self, shown: bool) -> None:
        """The start screen's note that play statistics are kept."""
        self.element("stats-note").hidden = not shown

    def show_seated_choice(self, offered: bool, ticked: bool) -> None:
        """The "I'm seated" choice: shown or not, ticked or not."""
        box = self.element("seated-toggle")
        box.checked = ticked
        self.element("seated-choice").hidden = not offered
        self.body.dataset.seated = "true" if ticked else "false"

    def seated_ticked(self) -> bool:
        return bool(self.element("seated-toggle").checked)

    def show_challenges(
        self, challenges: tuple[Challenge, ...], current_url: str, seated: bool, words: Words
    ) -> None:
        """The challenges to pick from (none: no choice shown), the one being
        played ticked; a seated visitor cannot pick a pack without seated levels."""
        parent = self.element("challenge-list")
        if self._changed("challenges", (challenges, seated, words.language)):
            focused = self.document.activeElement
            refocus = focused.value if parent.contains(focused) else None
            self.element("challenges").hidden = not challenges
            parent.replaceChildren()
            for challenge in challenges:
                self._challenge_option(parent, challenge, seated, words)
            if refocus is not None:  # keyboard users keep their place
                self.document.querySelector(f'#challenge-list input[value="{refocus}"]').focus()
        for choice in parent.querySelectorAll("input"):
            choice.checked = choice.value == current_url

    def _challenge_option(
        self, parent: Any, challenge: Challenge, seated: bool, words: Words
    ) -> None:
        option = self._child(parent, "label", "challenge")
        choice = self.document.createElement("input")
        choice.type = "radio"
        choice.name = "challenge"
        choice.value = challenge.url
        choice.disabled = seated and challenge.seated_levels == 0
        option.appendChild(choice)
        cover = self._child(option, "img", "challenge-cover")
        cover.alt = ""  # the title says it all
        cover.src = challenge.cover
        self._child(option, "span", "challenge-title", challenge.title, auto_dir=True)
        levels = challenge.seated_levels if seated else challenge.levels
        count = words.ngettext("{count} artwork", "{count} artworks", levels)
        self._child(option, "span", "challenge-meta", count)
        if challenge.seated:
            # TRANSLATORS: a badge on a challenge that can all be played sitting down.
            badge = words.gettext("Seated-friendly")
            self._child(option, "span", "challenge-badge", badge)

    def chosen_challenge(self) -> str | None:
        """The pack URL the visitor ticked, if any."""
        chosen = self.document.querySelector('#challenge-list input[name="challenge"]:checked')
        return None if chosen is None else str(chosen.value)

    # --- pictures and the debug panel -----------------------------------------

    def show_artwork(self, url: str) -> None:
        """The artwork of the level being played."""
        self.element("artwork-image").src = url

    def show_attract(self, url: str, alt: str) -> None:
        """The artwork a kiosk's attract screen shows now."""
        image = self.element("attract-image")
        image.src = url
        image.alt = alt

    def show_debug(self, text: str) -> None:
        panel = self.element("debug-panel")
        panel.hidden = False
        panel.textContent = text

    # --- the error screen -------------------------------------------------------

    def leave_error(self) -> None:
        """Forget the error screen so the next apply() shows the game again."""
        self._applied.pop("page_state", None)
        if self.showing_error:
            self.body.dataset.state = "start"
            self.showing_error = False

    def show_error(self, code: str, detail: str = "") -> None:
        self._applied.pop("page_state", None)
        self.body.dataset.error = code
        self.element("error-detail").textContent = detail
        self.body.dataset.state = "error"
        self.showing_error = True
