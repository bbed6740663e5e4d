"""Import an SBML model (Level 2 or 3 core) as a jakstat :class:`~jakstat.network.model.Network`.

Kept: compartments (constant size); species (initial concentration or amount, ``hasOnlySubstanceUnits``,
``boundaryCondition``; ``constant`` -> boundary); global parameters and reaction-local ones (renamed
``<reaction>_<parameter>``); function definitions (inlined); assignment rules (substituted into rate
laws recursively; their targets are outputs, not part of the network); initial assignments (evaluated
at ``time = 0``); kinetic laws, converted from MathML to sympy node by node (the AST is walked, so the
``time`` csymbol never collides with an id); events triggered by ``time >= t`` (or ``>``) whose
assignments are constants or ``X + c``. Anything else (rate or algebraic rules, delays, other
triggers, event priorities, fast reactions, changing compartments, conversion factors, required
packages) raises :class:`~jakstat.errors.SBMLError` naming the element and the feature.

Semantics: kinetic laws are extensive (amount/time) in SBML and in jakstat; jakstat species are
concentrations, $d[X]/dt = \\sum_j S_{Xj} v_j / V_X$. A species with ``hasOnlySubstanceUnits=true`` is
an amount in SBML maths, so ``X`` becomes ``X * V`` there and its initial amount is divided by ``V``.
Numbers are kept as the file states them (``check_units=False``; species labelled nM, compartments L,
parameters dimensionless), and the engine treats one model time unit as one second
(:func:`sbml_time_unit` says what the model's unit is).
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

import libsbml
import sympy

from jakstat.errors import NetworkError, SBMLError
from jakstat.network.model import (TIME_SYMBOL, Compartment, Event, EventAssignment, Network, Parameter,
                                   Reaction, Species)
from jakstat.network.provenance import Input

_UNARY: dict[int, Callable] = {
    libsbml.AST_FUNCTION_EXP: sympy.exp, libsbml.AST_FUNCTION_LN: sympy.log, libsbml.AST_FUNCTION_ABS: sympy.Abs,
    libsbml.AST_FUNCTION_FLOOR: sympy.floor, libsbml.AST_FUNCTION_CEILING: sympy.ceiling,
    libsbml.AST_FUNCTION_SIN: sympy.sin, libsbml.AST_FUNCTION_COS: sympy.cos, libsbml.AST_FUNCTION_TAN: sympy.tan,
    libsbml.AST_FUNCTION_SINH: sympy.sinh, libsbml.AST_FUNCTION_COSH: sympy.cosh, libsbml.AST_FUNCTION_TANH: sympy.tanh,
    libsbml.AST_FUNCTION_ARCSIN: sympy.asin, libsbml.AST_FUNCTION_ARCCOS: sympy.acos,
    libsbml.AST_FUNCTION_ARCTAN: sympy.atan, libsbml.AST_LOGICAL_NOT: sympy.Not}
_BINARY: dict[int, Callable] = {libsbml.AST_DIVIDE: operator.truediv, libsbml.AST_POWER: operator.pow,
                                libsbml.AST_FUNCTION_POWER: operator.pow}
_NARY: dict[int, Callable] = {
    libsbml.AST_PLUS: lambda *a: sympy.Add(*a), libsbml.AST_TIMES: lambda *a: sympy.Mul(*a),
    libsbml.AST_FUNCTION_MAX: sympy.Max, libsbml.AST_FUNCTION_MIN: sympy.Min,
    libsbml.AST_LOGICAL_AND: sympy.And, libsbml.AST_LOGICAL_OR: sympy.Or, libsbml.AST_LOGICAL_XOR: sympy.Xor}
_RELATIONS: dict[int, Callable] = {
    libsbml.AST_RELATIONAL_EQ: sympy.Eq, libsbml.AST_RELATIONAL_NEQ: sympy.Ne,
    libsbml.AST_RELATIONAL_GT: sympy.StrictGreaterThan, libsbml.AST_RELATIONAL_GEQ: sympy.GreaterThan,
    libsbml.AST_RELATIONAL_LT: sympy.StrictLessThan, libsbml.AST_RELATIONAL_LEQ: sympy.LessThan}
_LEAVES: dict[int, Callable] = {
    libsbml.AST_INTEGER: lambda x: sympy.Integer(x.getInteger()), libsbml.AST_REAL: lambda x: sympy.Float(x.getReal()),
    libsbml.AST_REAL_E: lambda x: sympy.Float(x.getReal()),
    libsbml.AST_RATIONAL: lambda x: sympy.Rational(x.getNumerator(), x.getDenominator()),
    libsbml.AST_NAME_TIME: lambda x: TIME_SYMBOL, libsbml.AST_CONSTANT_E: lambda x: sympy.E,
    libsbml.AST_CONSTANT_PI: lambda x: sympy.pi, libsbml.AST_CONSTANT_TRUE: lambda x: sympy.true,
    libsbml.AST_CONSTANT_FALSE: lambda x: sympy.false, libsbml.AST_NAME_AVOGADRO: lambda x: sympy.Float(6.02214076e23)}
_SUPPORTED_MATH = ("+ - * / ^ pow root sqrt exp ln log abs floor ceiling sin cos tan sinh cosh tanh asin acos "
                   "atan min max piecewise relations and/or/xor/not, function definitions")
_UNITS_SECONDS = {1.0: "s", 60.0: "min", 3600.0: "h", 86400.0: "day"}


def read_sbml_document(source: str | Path) -> tuple[libsbml.SBMLDocument, str]:
    """Read and check an SBML file, or SBML text (starting with ``<``); return the document and a label.

    Raises :class:`SBMLError` naming the file and libsbml's first errors (XML, then identifier and maths
    consistency; units are not checked)."""
    if isinstance(source, str) and source.lstrip().startswith("<"):
        label, doc = "<string>", libsbml.readSBMLFromString(source)
    else:
        path = Path(source)
        if not path.is_file():
            raise SBMLError(f"SBML file {str(path)!r} does not exist")
        label, doc = path.name, libsbml.readSBMLFromFile(str(path))
    if not _errors(doc) and doc.getModel() is not None:
        for category in (libsbml.LIBSBML_CAT_UNITS_CONSISTENCY, libsbml.LIBSBML_CAT_MODELING_PRACTICE,
                         libsbml.LIBSBML_CAT_SBO_CONSISTENCY, libsbml.LIBSBML_CAT_OVERDETERMINED_MODEL):
            doc.setConsistencyChecks(category, False)
        doc.checkConsistency()
    errors = _errors(doc)
    if errors:
        raise SBMLError(f"SBML {label} is not valid ({len(errors)} errors); first: " + " | ".join(errors[:3]))
    if doc.getModel() is None:
        raise SBMLError(f"SBML {label} has no <model>")
    return doc, label


_TOLERATED = {21121}  # a species a rate law reads is not a listed modifier: jakstat finds those itself


def _errors(doc: libsbml.SBMLDocument) -> list[str]:
    found = [doc.getError(i) for i in range(doc.getNumErrors())]
    return [f"line {e.getLine()}: {' '.join(e.getMessage().split())}" for e in found
            if e.getSeverity() >= libsbml.LIBSBML_SEV_ERROR and e.getErrorId() not in _TOLERATED]


def sbml_time_unit(source: str | Path | libsbml.SBMLDocument) -> tuple[str, float | None]:
    """The model's time unit: ``(name, seconds per model time unit)``.

    Level 2 redefines the built-in unit ``time`` (Boehm 2014, Bachmann 2011: 60 s, "min"); Level 3 names
    it in ``model.timeUnits``. With neither, SBML's convention is the second: ``("s", 1.0)``. A
    dimensionless or non-time unit gives ``(id, None)``."""
    doc = source if isinstance(source, libsbml.SBMLDocument) else read_sbml_document(source)[0]
    model = doc.getModel()
    uid = "time" if doc.getLevel() < 3 else (model.getTimeUnits() if model.isSetTimeUnits() else "second")
    if uid == "second":
        return "s", 1.0
    definition = model.getUnitDefinition(uid)
    if definition is None or definition.getNumUnits() != 1:
        return ("s", 1.0) if definition is None and uid == "time" else (uid, None)
    unit = definition.getUnit(0)
    if unit.getKind() != libsbml.UNIT_KIND_SECOND or unit.getExponent() != 1:
        return uid, None
    seconds = unit.getMultiplier() * 10.0 ** unit.getScale()
    return _UNITS_SECONDS.get(seconds, f"{seconds:g} s"), seconds


def _threshold(trigger: libsbml.ASTNode | None) -> libsbml.ASTNode | None:
    """``t`` of a trigger ``time >= t`` (``>``, or ``t <= time``, ``t < time``); ``None`` for any other."""
    if trigger is None or trigger.getNumChildren() != 2:
        return None
    kind, left, right = trigger.getType(), trigger.getChild(0), trigger.getChild(1)
    if kind in (libsbml.AST_RELATIONAL_GEQ, libsbml.AST_RELATIONAL_GT) and left.getType() == libsbml.AST_NAME_TIME:
        return right
    if kind in (libsbml.AST_RELATIONAL_LEQ, libsbml.AST_RELATIONAL_LT) and right.getType() == libsbml.AST_NAME_TIME:
        return left
    return None


class _Importer:
    """Maths, values, reactions and events of one model, with the checks for what jakstat cannot represent."""

    def __init__(self, doc: libsbml.SBMLDocument, label: str):
        self.doc, self.model, self.label = doc, doc.getModel(), label
        model, self.notes = self.model, []
        self.functions, self.rules = {f.getId(): f for f in model.getListOfFunctionDefinitions()}, {}
        for rule in model.getListOfRules():
            if not rule.isAssignment():
                kind, variable = "rate rule" if rule.isRate() else "algebraic rule", rule.getVariable() or "(none)"
                self.fail(f"the rule for {variable!r}", f"a {kind} (only assignment rules are supported)")
            self.rules[rule.getVariable()] = self.math(rule.getMath(), f"assignment rule for {rule.getVariable()!r}")
        self.species = {s.getId(): s for s in model.getListOfSpecies()}
        self.compartments = {c.getId(): c for c in model.getListOfCompartments()}
        self.parameters = {p.getId(): p for p in model.getListOfParameters()}
        targets = {a.getVariable() for e in model.getListOfEvents() for a in e.getListOfEventAssignments()}
        self.fixed = set(self.compartments) | (set(self.parameters) - targets)
        self._check_features(targets)
        self.amounts = {sympy.Symbol(s.getId()): sympy.Symbol(s.getId()) * sympy.Symbol(s.getCompartment())
                        for s in self.species.values() if s.getHasOnlySubstanceUnits() and s.getId() not in self.rules}
        self.initial: dict[str, sympy.Expr] = {}
        assigned = {a.getSymbol() for a in model.getListOfInitialAssignments()}
        for c in self.compartments.values():
            if not c.isSetSize() and c.getId() not in assigned:
                self.notes.append(f"Compartment {c.getId()} has no size: 1 is used, as libRoadRunner does.")
            self.initial[c.getId()] = sympy.Float(c.getSize() if c.isSetSize() else 1.0)
        for p in self.parameters.values():
            if p.isSetValue():
                self.initial[p.getId()] = sympy.Float(p.getValue())
        for s in self.species.values():
            volume, amount_based = sympy.Symbol(s.getCompartment()), s.getHasOnlySubstanceUnits()
            if s.isSetInitialConcentration():
                value = sympy.Float(s.getInitialConcentration())
                self.initial[s.getId()] = value * volume if amount_based else value
            elif s.isSetInitialAmount():
                value = sympy.Float(s.getInitialAmount())
                self.initial[s.getId()] = value if amount_based else value / volume
        for a in model.getListOfInitialAssignments():
            self.initial[a.getSymbol()] = self.math(a.getMath(), f"initial assignment to {a.getSymbol()!r}")
        self.initial.update(self.rules)
        self._cache: dict[str, float] = {}

    def fail(self, element: str, what: str) -> NoReturn:
        raise SBMLError(f"SBML {self.label}: {element} uses {what}; jakstat cannot represent it")

    def math(self, node: libsbml.ASTNode | None, where: str, bound: dict | None = None) -> sympy.Expr:
        """MathML -> sympy over SBML ids (``time`` for the time csymbol); ``bound``: function arguments."""
        if node is None:
            raise SBMLError(f"SBML {self.label}: {where} has no maths")
        kind, n, bound = node.getType(), node.getNumChildren(), bound or {}
        if kind == libsbml.AST_NAME:
            return bound.get(node.getName(), sympy.Symbol(node.getName()))
        if kind in _LEAVES:
            return _LEAVES[kind](node)
        args = [self.math(node.getChild(i), where, bound) for i in range(n)]
        if kind in _NARY or (kind in _BINARY and n == 2) or (kind in _UNARY and n == 1):
            return {**_NARY, **_BINARY, **_UNARY}[kind](*args)
        if kind in _RELATIONS:
            return sympy.And(*[_RELATIONS[kind](a, b) for a, b in zip(args, args[1:])])
        if kind == libsbml.AST_MINUS and n in (1, 2):
            return -args[0] if n == 1 else args[0] - args[1]
        if kind == libsbml.AST_FUNCTION_ROOT:
            return sympy.sqrt(args[0]) if n == 1 else args[1] ** (1 / args[0])
        if kind == libsbml.AST_FUNCTION_LOG:
            return sympy.log(args[-1]) / sympy.log(args[0] if n == 2 else 10)
        if kind == libsbml.AST_FUNCTION_PIECEWISE:
            pieces = [(args[i], args[i + 1]) for i in range(0, n - 1, 2)]
            return sympy.Piecewise(*pieces, (args[-1], sympy.true) if n % 2 else (sympy.nan, sympy.true))
        if kind == libsbml.AST_FUNCTION and node.getName() in self.functions:
            fd = self.functions[node.getName()]
            names = [fd.getArgument(i).getName() for i in range(fd.getNumArguments())]
            return self.math(fd.getBody(), f"{where} (function {node.getName()!r})", dict(zip(names, args)))
        construct = node.getName() or libsbml.formulaToL3String(node)
        self.fail(where, f"the MathML construct {construct!r} (supported: {_SUPPORTED_MATH})")

    def expand(self, expr: sympy.Expr, where: str) -> sympy.Expr:
        """Substitute assignment rules until no rule variable is left."""
        for _ in range(len(self.rules) + 1):
            hits = {s: self.rules[s.name] for s in expr.free_symbols if s.name in self.rules}
            if not hits:
                return expr
            expr = expr.xreplace(hits)
        raise SBMLError(f"SBML {self.label}: assignment rules used in {where} refer to each other in a cycle")

    def _check_features(self, targets: set[str]) -> None:
        doc, model, namespaces = self.doc, self.model, self.doc.getNamespaces()
        declared = {namespaces.getURI(i) for i in range(namespaces.getNumNamespaces())} - {doc.getURI()}
        for i in range(doc.getNumPlugins() if doc.getLevel() >= 3 else 0):  # L2 has no packages
            package = doc.getPlugin(i).getPackageName()
            if doc.getPlugin(i).getURI() in declared and doc.getPackageRequired(package):
                self.fail(f"the document (package {package!r})", f"the required SBML package {package!r}")
        if doc.getLevel() >= 3 and model.isSetConversionFactor():
            self.fail("the model", f"a conversion factor ({model.getConversionFactor()!r})")
        for c in self.compartments.values():
            if not c.getConstant() or c.getId() in self.rules or c.getId() in targets:
                self.fail(f"compartment {c.getId()!r}", "a changing size (constant=false, a rule or an event)")
        for s in self.species.values():
            if doc.getLevel() >= 3 and s.isSetConversionFactor():
                self.fail(f"species {s.getId()!r}", f"a conversion factor ({s.getConversionFactor()!r})")

    def number(self, ident: str, _stack: tuple[str, ...] = ()) -> float:
        """Value at t = 0 of an id as SBML maths sees it (species: amount if hasOnlySubstanceUnits)."""
        if ident in self._cache:
            return self._cache[ident]
        if ident in _stack:
            raise SBMLError(f"SBML {self.label}: initial values of {' -> '.join(_stack + (ident,))} form a cycle")
        if ident not in self.initial:
            raise SBMLError(f"SBML {self.label}: {ident!r} has no value: give it a value, size, initial "
                            "concentration or amount, or an initial assignment")
        expr = self.initial[ident]  # time is 0; every other symbol is resolved first
        subs = {s: (0 if s == TIME_SYMBOL else self.number(s.name, _stack + (ident,))) for s in expr.free_symbols}
        try:
            value = float(expr.subs(subs))
        except TypeError:
            raise SBMLError(f"SBML {self.label}: the initial value of {ident!r} ({expr}) is not a number") from None
        self._cache[ident] = value
        return value

    def concentration(self, sid: str) -> float:
        """Initial concentration of a species (amounts are divided by the compartment size)."""
        s, value = self.species[sid], self.number(sid)
        return value / self.number(s.getCompartment()) if s.getHasOnlySubstanceUnits() else value

    def constant(self, expr: sympy.Expr, where: str) -> float:
        """Evaluate an expression that may use only constant parameters and compartment sizes."""
        for sym in expr.free_symbols:
            if sym.name not in self.fixed:
                self.fail(where, f"{sym.name!r}, which can change during a simulation, where a constant is needed")
        return float(expr.subs({s: self.number(s.name) for s in expr.free_symbols}))

    def reaction(self, r: libsbml.Reaction) -> tuple[Reaction, list[tuple[str, str, float]]]:
        """The reaction, and its local parameters as (SBML id, jakstat id, value)."""
        rid, where, law = r.getId(), f"kinetic law of reaction {r.getId()!r}", r.getKineticLaw()
        if r.isSetFast() and r.getFast():
            self.fail(f"reaction {rid!r}", "fast=true (rapid equilibrium)")
        if law is None or not law.isSetMath():
            raise SBMLError(f"SBML {self.label}: reaction {rid!r} has no kinetic law; jakstat needs a rate law")
        known = self.parameters.keys() | self.species.keys() | self.compartments.keys()
        local_list = law.getListOfLocalParameters() if self.doc.getLevel() >= 3 else law.getListOfParameters()
        local, rename = [], {}
        for p in local_list:
            new = f"{rid}_{p.getId()}"
            if new in known:
                raise SBMLError(f"SBML {self.label}: local parameter {p.getId()!r} of reaction {rid!r} would be "
                                f"renamed {new!r}, which is already a model id")
            local.append((p.getId(), new, p.getValue()))
            rename[sympy.Symbol(p.getId())] = sympy.Symbol(new)
        rate = self.expand(self.math(law.getMath(), where).xreplace(rename), where).xreplace(self.amounts)
        reactants, products = self._side(r.getListOfReactants(), rid), self._side(r.getListOfProducts(), rid)
        modifiers = tuple(m.getSpecies() for m in r.getListOfModifiers() if m.getSpecies() not in self.rules)
        return Reaction(rid, reactants, products, rate, description=r.getName(), reversible=r.getReversible(),
                        modifiers=modifiers), local

    def _side(self, refs: libsbml.ListOfSpeciesReferences, rid: str) -> tuple[tuple[str, int], ...]:
        counts: dict[str, int] = {}
        for ref in refs:
            sid, element = ref.getSpecies(), f"reaction {rid!r} (species reference {ref.getSpecies()!r})"
            if self.doc.getLevel() < 3 and ref.isSetStoichiometryMath():
                self.fail(element, "stoichiometryMath (a stoichiometry that changes)")
            if self.doc.getLevel() >= 3 and ref.isSetId() and not ref.getConstant():
                self.fail(element, "a non-constant stoichiometry")
            n = ref.getStoichiometry() if ref.isSetStoichiometry() else 1.0
            if not (n > 0 and float(n).is_integer()):
                self.fail(element, f"the stoichiometry {n:g} (jakstat needs a positive integer)")
            if sid not in self.rules:  # a species set by a rule is an output; reactions do not change it
                counts[sid] = counts.get(sid, 0) + int(n)
        return tuple(counts.items())

    def event(self, ev: libsbml.Event, index: int) -> Event | None:
        """A time-triggered event, or ``None`` for one that can never fire."""
        eid = ev.getId() or f"event_{index}"
        element = f"event {eid!r}"
        for feature, present in (("a delay", ev.isSetDelay()), ("a priority", ev.isSetPriority())):
            if present:
                self.fail(element, feature)
        trigger = ev.getTrigger().getMath() if ev.isSetTrigger() else None
        node = _threshold(trigger)
        if node is None:
            text = libsbml.formulaToL3String(trigger) if trigger is not None else "(none)"
            self.fail(element, f"the trigger {text!r} (jakstat events are 'time >= t' with a constant t)")
        time = self.constant(self.expand(self.math(node, f"trigger of {element}"), element), f"trigger of {element}")
        if time <= 0 and ev.getTrigger().getInitialValue():
            self.notes.append(f"Event {eid} is dropped: its trigger is already true at t = 0 (initialValue true).")
            return None
        assignments = tuple(self._assignment(a, element) for a in ev.getListOfEventAssignments())
        return Event(eid, max(time, 0.0), "s", assignments, description=ev.getName()) if assignments else None

    def _assignment(self, a: libsbml.EventAssignment, element: str) -> EventAssignment:
        target = a.getVariable()
        if target not in self.species and target not in self.parameters:
            self.fail(element, f"an assignment to {target!r}, which is not a species or parameter")
        where = f"assignment to {target!r} in {element}"
        expr, x = self.expand(self.math(a.getMath(), where), where), sympy.Symbol(target)
        increment = sympy.expand(expr - x)
        if x not in expr.free_symbols:
            mode, value = "set", self.constant(expr, where)
        elif x not in increment.free_symbols:
            mode, value = "add", self.constant(increment, where)
        else:
            self.fail(where, f"{libsbml.formulaToL3String(a.getMath())!r} (allowed: a constant or {target} + constant)")
        s = self.species.get(target)
        if s is not None and s.getHasOnlySubstanceUnits():
            value /= self.number(s.getCompartment())
        return EventAssignment(target, value, "nM" if s is not None else "dimensionless", mode)


def network_from_sbml(path_or_string: str | Path, *, name: str | None = None) -> Network:
    """Read an SBML model as a jakstat :class:`Network` (see the module docstring for the mapping).

    Parameters
    ----------
    path_or_string : str or Path
        An SBML file, or the SBML text (a string starting with ``<``).
    name : str, optional
        Network name; default the model id, else the file stem.

    Returns
    -------
    Network
        Species in the file's own concentration unit (labelled nM), compartment sizes (labelled L),
        parameters (dimensionless), times in model time units that the engine treats as seconds;
        ``check_units=False``. Every number has ``Input("SBML <file>: <element id>")`` provenance.

    Raises
    ------
    SBMLError
        A malformed file, or a feature jakstat cannot represent (named with its element id).

    See Also
    --------
    jakstat.compile.petab_problem.load_petab, jakstat.sbml_api.simulate_sbml
    """
    doc, label = read_sbml_document(path_or_string)
    return network_from_document(doc, label, name=name)


def network_from_document(doc: libsbml.SBMLDocument, label: str, *, name: str | None = None) -> Network:
    """:func:`network_from_sbml` for a document already read (``label`` names it in messages and provenance)."""
    try:  # the records themselves check ids and values: their errors name the file too
        values, model = _Importer(doc, label), doc.getModel()
        source = lambda ident, how="": Input(f"SBML {label}: {ident}{how}")  # noqa: E731
        compartments = tuple(Compartment(c.getId(), values.number(c.getId()), "L", source(c.getId()), c.getName())
                             for c in model.getListOfCompartments())
        species = tuple(Species(s.getId(), s.getCompartment(), values.concentration(s.getId()), source(s.getId()),
                                name=s.getName(), boundary=s.getBoundaryCondition() or s.getConstant())
                        for s in model.getListOfSpecies() if s.getId() not in values.rules)
        parameters = [Parameter(p.getId(), values.number(p.getId()), "dimensionless", source(p.getId()), p.getName())
                      for p in model.getListOfParameters() if p.getId() not in values.rules]
        reactions = []
        for r in model.getListOfReactions():
            reaction, local = values.reaction(r)
            reactions.append(reaction)
            parameters += [Parameter(new, value, "dimensionless", source(f"{r.getId()}/{old}", " (local parameter)"))
                           for old, new, value in local]
        events = tuple(e for e in (values.event(ev, i) for i, ev in enumerate(model.getListOfEvents())) if e)
        (time_name, seconds), dropped = sbml_time_unit(doc), sorted(values.rules)
        clock = f"{time_name} ({seconds:g} s)" if seconds else f"{time_name} (not a time unit)"
        description = (f"Imported from SBML {label} (Level {doc.getLevel()} Version {doc.getVersion()}, model "
                       f"{model.getId() or '(no id)'!r}). Numbers as the file states them, units not checked "
                       f"(check_units=False): species in the model's own concentration unit (labelled nM), "
                       f"compartments labelled L, parameters dimensionless. Model time unit: {clock}; jakstat's "
                       "engine treats 1 model time unit as 1 s, so times and rate constants stay in model units."
                       + (f" Outputs of assignment rules, not in the state: {', '.join(dropped)}." if dropped else "")
                       + (" " + " ".join(values.notes) if values.notes else ""))
        return Network(name or model.getId() or Path(label).stem, compartments, species, tuple(parameters),
                       tuple(reactions), events, description=description, check_units=False)
    except NetworkError as exc:
        raise SBMLError(f"SBML {label}: the imported network is invalid: {exc}") from None
