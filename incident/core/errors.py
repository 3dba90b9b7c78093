"""The domain's refusals: one base, so every face shows them the same way."""

from __future__ import annotations

from collections.abc import Callable


class CommandError(Exception):
    """A command the incident's rules refuse; the message is for the user.

    The message speaks the domain's terms ("a forced close needs a reason"), never
    one face's (a CLI flag, a key). Two fields name the verb parameters that would
    resolve it, so each face can phrase the remedy its own way:

    - `needs`: all of them, together (a forced close needs `force` and `reason`);
      the CLI says `(--force --reason)`, the TUI "tick: force; fill in: reason".
    - `needs_one_of`: any one of them will do (a probe that shows nothing yet takes
      `evidence` or an `override` reason); the CLI says `(--evidence or --override)`,
      the TUI "fill in: evidence or override".

    A refusal may name both (all of `needs`, and one of `needs_one_of`), or neither.

    `fill` gives a value for a parameter of `needs` that would resolve it (the holder
    of the role an approval needs, for `by`): the CLI says `(--by Ada)`; the TUI puts
    the focus on that field and leaves what was typed as it was.

    `verbs` names the verbs the message names in brackets, as the command line knows
    them ("send the message (send)"): a face that reaches them otherwise (the TUI, by
    a key) names its own way there in their place.

    `way` names the one verb of `verbs` that is the way on, for a face to offer whole:
    the command line spells out its command, `(lastgood channel INC-… NAME)`, where
    the brackets named it.

    `about` names the parameter the message opens with, as the code names it
    (`last_good holds the value of …`): each face says it its own way in its place
    (`said_as`: `--last-good` on the command line, the field's label in a form), and a
    form moves the cursor to that field.

    A damaged record (`incident.core.chain.DamagedRecord`) is one too: the TUI's and
    the CLI's handlers for refused commands show it, and nothing is recorded.
    """

    def __init__(
        self,
        message: str,
        *,
        needs: tuple[str, ...] = (),
        needs_one_of: tuple[str, ...] = (),
        verbs: tuple[str, ...] = (),
        fill: dict[str, str] | None = None,
        way: str = "",
        about: str = "",
    ) -> None:
        super().__init__(message)
        self.needs = needs
        self.needs_one_of = needs_one_of
        self.verbs = verbs
        self.fill = dict(fill or {})
        self.way = way
        self.about = about

    def said_as(self, name: Callable[[str], str]) -> str:
        """The message with the parameter it opens with (`about`) named by `name`, the
        face's one mapping from a parameter's name to its own word for it."""
        message = str(self)
        if self.about and message.startswith(f"{self.about} "):
            return name(self.about) + message[len(self.about) :]
        return message
