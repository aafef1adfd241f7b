"""The value types a check builds on every start are msgspec Structs instead of dataclasses (issue #24: on
Python 3.11 a dataclass compiles each generated method apart, ~0.6 ms a class). Each behaves as the frozen
(or plain) dataclass with the same fields did: construction, defaults, repr, equality, hashing, immutability,
pattern matching and `replace`."""

from __future__ import annotations

import dataclasses
import importlib
from pathlib import Path
from typing import Any

import msgspec
import msgspec.structs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pusher_doctor.contract import HOTEL_CHAT
from pusher_doctor.contract.model import Contract

#: the modules whose value types are Structs, and the types (all of theirs: a new one is listed here)
STRUCT_MODULES: dict[str, set[str]] = {
    "pusher_doctor.checks": {"Check"},
    "pusher_doctor.checks.context": {"CheckRequest", "TriggeredEvent", "CheckContext"},
    "pusher_doctor.cli.common": {"ServerOptions", "ChannelAuthOptions"},
    "pusher_doctor.cli.output": {"Reporting"},
    "pusher_doctor.config.endpoints": {"Endpoint", "ClusterDirectory"},
    "pusher_doctor.config.settings": {"Setting", "LoadedSettings", "_Parsed"},
    "pusher_doctor.config.target": {"Target"},
    "pusher_doctor.contract.model": {"EventSpec", "ChannelSpec", "EventVerdict", "Contract"},
    "pusher_doctor.contract.template": {"Field", "ChannelTemplate"},
    "pusher_doctor.hotel_chat": {"PlannedEvent", "ChannelPlan"},
    "pusher_doctor.near_miss": {"NearMiss"},
    "pusher_doctor.protocol.guest": {"Connected", "SignedIn", "Subscribed"},
    "pusher_doctor.protocol.listeners": {"Listeners"},
    "pusher_doctor.protocol.rest": {"RawAnswer", "RestSuccess"},
    "pusher_doctor.results.causes": {"Cause"},
    "pusher_doctor.results.outcome": {"Remediation", "Problem", "Outcome", "CheckResult", "ObservedEvent",
                                      "Interruption", "Report"},
    "pusher_doctor.triage.connect": {"Connection"},
}

STRUCTS = [getattr(importlib.import_module(module), name)
           for module, names in STRUCT_MODULES.items() for name in sorted(names)]
#: the fields each type leaves out of its equality and hash, as `field(compare=False)` did
NOT_COMPARED = {"Contract": {"origin", "label", "is_builtin"}}
#: types whose own checks refuse arbitrary values: tested on their own (tests/contract)
CHECKED_ON_CREATION = {"Contract"}


def _reference(struct: type[msgspec.Struct]) -> type:
    """The dataclass the Struct replaced: the same fields, defaults and default factories, frozen alike."""
    defaults = struct.__struct_defaults__
    required = len(struct.__struct_fields__) - len(defaults)
    fields: list[tuple[str, Any, Any]] = []
    for index, name in enumerate(struct.__struct_fields__):
        if index < required:
            fields.append((name, Any, dataclasses.field()))
            continue
        default = defaults[index - required]
        factory = getattr(default, "factory", None)  # msgspec keeps a default_factory as a Factory
        compare = name not in NOT_COMPARED.get(struct.__name__, set())
        fields.append((name, Any, dataclasses.field(default_factory=factory, compare=compare) if factory is not None
                                   else dataclasses.field(default=default, compare=compare)))
    reference = dataclasses.make_dataclass(struct.__name__, fields, frozen=struct.__struct_config__.frozen)
    reference.__qualname__ = struct.__qualname__
    return reference


#: field values: any of these is stored as given by both kinds of class
VALUES = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=5),
                   st.tuples(st.text(max_size=3)), st.frozensets(st.integers(), max_size=2))


@pytest.mark.parametrize("struct", STRUCTS, ids=lambda s: s.__name__)
def test_each_value_type_of_a_listed_module_is_a_struct(struct: type) -> None:
    assert issubclass(struct, msgspec.Struct)
    module = importlib.import_module(struct.__module__)
    made_here = {name for name, value in vars(module).items()
                 if isinstance(value, type) and value.__module__ == module.__name__
                 and (issubclass(value, msgspec.Struct) or dataclasses.is_dataclass(value))}
    assert made_here == STRUCT_MODULES[module.__name__]  # no dataclass left beside them


@pytest.mark.parametrize("struct", [s for s in STRUCTS if s.__name__ not in CHECKED_ON_CREATION],
                         ids=lambda s: s.__name__)
@settings(max_examples=40, deadline=None)  # a shared, loaded machine
@given(data=st.data())
def test_a_struct_behaves_as_the_dataclass_it_replaced(struct: type[msgspec.Struct], data: st.DataObject) -> None:
    reference = _reference(struct)
    names = struct.__struct_fields__
    first = data.draw(st.fixed_dictionaries({name: VALUES for name in names}))
    # the second is the first with some fields changed, so that equal and unequal pairs both come up
    changed = data.draw(st.dictionaries(st.sampled_from(names), VALUES, max_size=2)) if names else {}
    second = {**first, **changed}

    ours, theirs = struct(**first), reference(**first)
    assert repr(ours) == repr(theirs)
    assert struct(*(first[name] for name in names)) == ours  # positionally, in the same order
    assert (ours == struct(**second)) == (theirs == reference(**second))
    assert ours != theirs and ours != object()  # only the same type compares equal, as a dataclass
    assert struct.__match_args__ == reference.__match_args__  # type: ignore[attr-defined]
    assert repr(msgspec.structs.replace(ours, **changed)) == repr(dataclasses.replace(theirs, **changed))

    if struct.__struct_config__.frozen:
        if ours == struct(**second):
            assert hash(ours) == hash(struct(**second))
        for instance in (ours, theirs):
            with pytest.raises(AttributeError):
                setattr(instance, names[0], None)
    else:
        with pytest.raises(TypeError):
            hash(ours)
        with pytest.raises(TypeError):
            hash(theirs)


@pytest.mark.parametrize("struct", [s for s in STRUCTS if s.__name__ not in CHECKED_ON_CREATION],
                         ids=lambda s: s.__name__)
def test_defaults_and_default_factories_are_the_dataclasses(struct: type[msgspec.Struct]) -> None:
    reference = _reference(struct)
    required = len(struct.__struct_fields__) - len(struct.__struct_defaults__)
    given_values = {name: f"given-{name}" for name in struct.__struct_fields__[:required]}
    ours, theirs, again = struct(**given_values), reference(**given_values), struct(**given_values)
    assert repr(ours) == repr(theirs)
    for name in struct.__struct_fields__[required:]:
        value = getattr(ours, name)
        if isinstance(value, (list, dict, set)):
            assert getattr(again, name) is not value  # a fresh one for each, never shared


@given(origin=st.none() | st.just(Path("a.toml")), label=st.text(max_size=3), is_builtin=st.booleans(),
       auth_endpoint=st.none() | st.just("/auth"))
def test_a_contract_compares_as_the_dataclass_did_leaving_out_where_it_came_from(
        origin: Path | None, label: str, is_builtin: bool, auth_endpoint: str | None) -> None:
    reference = _reference(Contract)
    said = {"channels": HOTEL_CHAT.channels, "recipient": HOTEL_CHAT.recipient}
    ours = Contract(**said, auth_endpoint=auth_endpoint, origin=origin, label=label, is_builtin=is_builtin)
    theirs = reference(**said, auth_endpoint=auth_endpoint, origin=origin, label=label, is_builtin=is_builtin)
    assert repr(ours) == repr(theirs)
    hotel_chat = reference(**{name: getattr(HOTEL_CHAT, name) for name in Contract.__struct_fields__})
    assert (ours == HOTEL_CHAT) == (theirs == hotel_chat)
    assert (hash(ours) == hash(HOTEL_CHAT)) == (ours == HOTEL_CHAT)
    assert ours != theirs and ours != object()
    moved = msgspec.structs.replace(ours, auth_endpoint="/other")
    assert repr(moved) == repr(dataclasses.replace(theirs, auth_endpoint="/other"))
