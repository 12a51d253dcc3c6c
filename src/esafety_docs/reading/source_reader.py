"""What the pack, contacts and document readers share: the source files' names,
every key a source may use (for YAML advice), lists of text, and the rules for
review dates and approvals, which the pack and each document follow alike."""

from __future__ import annotations

import datetime as dt

import yaml

from . import schema
from .reader import YamlReader

PACK_FILE = "pack.yaml"
CONTACTS_FILE = "contacts.yaml"


class SourceReader(YamlReader):
    """A reader of one of the pack's own source files."""

    known_keys = schema.SOURCE_KEYS

    def check_review_due(self, node: yaml.Node, due: dt.date | None, what: str) -> None:
        if due is not None and due < self.context.today:
            self.warning(
                node,
                f"{what} was due for review on {due.isoformat()}",
                "review it, then set `review_due` to the next review date",
            )

    def check_approval(self, fields: dict[str, yaml.Node], what: str) -> None:
        """One rule for the pack and each document: approved means who and when."""
        get = self.values(fields)
        if get("status") == "approved":
            for needed in ("approved_by", "approved_on"):
                if needed not in fields:
                    self.error(
                        fields["status"],
                        f"{what} is marked approved but has no {needed!r}",
                        f"add `{needed}:` or set `status: draft`",
                    )
        approved_on = get("approved_on")
        if approved_on and approved_on > self.context.today:
            self.error(fields["approved_on"], "the approval date is in the future", "fix the date")

    def texts(self, node: yaml.Node, name: str) -> list[str]:
        return [text for item in self.sequence(node, name) if (text := self.text(item, name))]
