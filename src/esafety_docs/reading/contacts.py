"""contacts.yaml: the directory of organisations that help, each checked as a
whole (a way to reach it, when its details were last checked, whether it is
awaiting confirmation) as well as field by field."""

from __future__ import annotations

import datetime as dt

import yaml

from . import schema
from .model import Contact
from .source_reader import SourceReader
from .values import suggested_id


class ContactsReader(SourceReader):
    """Reads the contacts directory: id -> Contact."""

    def contacts(self, node: yaml.Node, check_every_months: int) -> dict[str, Contact]:
        directory: dict[str, Contact] = {}
        for item in self.sequence(node, "contacts"):
            fields = self.mapping(item, schema.CONTACT, "a contact")
            if fields is None:
                continue
            get = self.values(fields)
            contact_id, name = get("id"), get("name")
            if contact_id is None and isinstance(fields.get("id"), yaml.ScalarNode):
                # `CEOP`, already reported: read on as `ceop`, so the documents that name
                # it are not also told that no such contact exists.
                suggested = suggested_id(fields["id"].value)
                contact_id = suggested if suggested and suggested not in directory else None
            if contact_id in directory:
                self.error(
                    fields["id"],
                    f"contact id {contact_id!r} is used twice",
                    "each organisation appears once; give the other one a different id",
                )
                continue
            if contact_id is None or name is None:
                continue
            self._check_reachable(item, fields, name)
            if "phone_note" in fields and "phone" not in fields:
                self.error(
                    fields["phone_note"],
                    f"{name} has a phone_note but no phone number for it to go with",
                    "add the `phone:` line it belongs to, or remove the phone_note",
                )
            self._check_checked_on(fields, get("checked_on"), name, check_every_months)
            awaiting = get("awaiting_confirmation") or ""
            if awaiting:
                self.warning(
                    fields["awaiting_confirmation"],
                    f"{name} is awaiting confirmation, so no document prints it: {awaiting}",
                    "confirm the details at the source, then delete the "
                    "`awaiting_confirmation` line (and update `checked_on`)",
                    draft=True,
                )
            old_numbers = (
                self.texts(fields["old_numbers"], "old_numbers") if "old_numbers" in fields else []
            )
            phone = get("phone")
            directory[contact_id] = Contact(
                id=contact_id,
                name=name,
                helps_with=get("helps_with") or (),
                phone=phone.national if phone else None,
                phone_e164=phone.dial if phone else None,
                phone_note=_bare(get("phone_note")) if phone else None,
                email=get("email"),
                web=get("web"),
                hours=get("hours"),
                notes=get("notes") or (),
                source=get("source") or "",
                checked_on=get("checked_on"),
                editor_notes=get("editor_notes") or "",
                old_numbers=tuple(old_numbers),
                awaiting_confirmation=awaiting,
            )
        return directory

    def _check_reachable(self, item: yaml.Node, fields: dict[str, yaml.Node], name: str) -> None:
        if not any(way in fields for way in ("phone", "email", "web")):
            self.error(
                item,
                f"{name} has no phone, email or web address, so nobody can reach it",
                "add at least one checked way to contact it, or remove the contact",
            )
            return
        not_listed = set()
        if "not_listed" in fields:
            for entry in self.sequence(fields["not_listed"], "not_listed"):
                way = self.text(entry, "not_listed")
                if way not in ("phone", "email"):
                    self.error(entry, f"{way!r} cannot be not_listed", "write phone or email")
                elif way in fields:
                    self.error(
                        entry,
                        f"{name} has a {way} but also lists it as not listed",
                        f"remove `{way}` from not_listed, or remove the {way}",
                    )
                else:
                    not_listed.add(way)
        missing = [way for way in ("phone", "email") if way not in fields and way not in not_listed]
        if missing:
            words = {"phone": "phone number", "email": "email address"}
            self.warning(
                item,
                f"{name} has no {' or '.join(words[m] for m in missing)}; the pack prints none",
                f"add {' or '.join(f'`{m}:`' for m in missing)} with details checked at the "
                f"source, or `not_listed: [{', '.join(missing)}]` if there is none to list",
            )

    def _check_checked_on(
        self, fields: dict[str, yaml.Node], checked: dt.date | None, name: str, limit: int
    ) -> None:
        if checked is None:
            return
        today = self.context.today
        if checked > today:
            self.error(
                fields["checked_on"],
                f"{name} was checked on {checked.isoformat()}, which is in the future",
                f"write the date the details were really checked (today is {today.isoformat()})",
            )
        elif months_between(checked, today) >= limit:
            self.warning(
                fields["checked_on"],
                f"{name}'s details were last checked on {checked.isoformat()}, "
                f"more than {limit} months ago",
                "check them at the source, then update `checked_on`",
            )


def _bare(note: str | None) -> str | None:
    """A phone note without the brackets the pack prints around it anyway."""
    if note is None:
        return None
    return note.strip().removeprefix("(").removesuffix(")").strip() or None


def months_between(earlier: dt.date, later: dt.date) -> int:
    """Whole calendar months from `earlier` to `later`."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    return months - (1 if later.day < earlier.day else 0)
