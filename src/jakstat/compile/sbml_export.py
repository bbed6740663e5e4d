"""Export a network as SBML Level 3 Version 2 (python-libsbml).

The document holds exactly the ODE that jakstat integrates: values are written in the
canonical unit system (nmol, L, s; see :mod:`jakstat.units`) with unit definitions on every
parameter, species are concentrations (``hasOnlySubstanceUnits=false``) and kinetic laws are
the extensive rate laws of the network. Each parameter, species and compartment carries its
provenance and the value and unit its source printed, in its ``notes``.
"""

from __future__ import annotations

import html
from pathlib import Path

import libsbml
import sympy
from sympy.printing.str import StrPrinter

from jakstat.errors import SBMLError
from jakstat.network.model import Network
from jakstat.units import canonical_exponents, to_canonical

_BASE = {"nmol": (libsbml.UNIT_KIND_MOLE, -9), "L": (libsbml.UNIT_KIND_LITRE, 0),
         "s": (libsbml.UNIT_KIND_SECOND, 0), "g": (libsbml.UNIT_KIND_GRAM, 0)}


def _check(code: int, what: str) -> None:
    if code != libsbml.LIBSBML_OPERATION_SUCCESS:
        raise SBMLError(f"libsbml failed to {what}: {libsbml.OperationReturnValue_toString(code)}")


def _unit_id(model: libsbml.Model, unit: str, cache: dict[str, str]) -> str:
    exps = canonical_exponents(unit)
    if not exps:
        return "dimensionless"
    key = "_".join(f"{k}_{v:g}".replace("-", "m").replace(".", "p") for k, v in sorted(exps.items()))
    uid = "u_" + key
    if uid not in cache:
        ud = model.createUnitDefinition()
        ud.setId(uid)
        for base, exponent in sorted(exps.items()):
            kind, scale = _BASE[base]
            u = ud.createUnit()
            u.setKind(kind)
            u.setExponent(exponent)
            u.setScale(scale)
            u.setMultiplier(1.0)
        cache[uid] = uid
    return uid


class _L3Printer(StrPrinter):
    """sympy -> SBML L3 infix text: ``^`` powers, ``ln`` for the natural log, ``piecewise``, ``&&``/``||``."""

    def _print_Pow(self, expr):  # noqa: N802 (sympy's naming)
        return f"({self._print(expr.base)})^({self._print(expr.exp)})"

    def _print_log(self, expr):  # noqa: N802
        return f"ln({self._print(expr.args[0])})"

    def _print_exp(self, expr):  # noqa: N802
        return f"exp({self._print(expr.args[0])})"

    def _print_Max(self, expr):  # noqa: N802
        return "max(" + ", ".join(self._print(a) for a in expr.args) + ")"

    def _print_Min(self, expr):  # noqa: N802
        return "min(" + ", ".join(self._print(a) for a in expr.args) + ")"

    def _print_And(self, expr):  # noqa: N802
        return "(" + " && ".join(self._print(a) for a in expr.args) + ")"

    def _print_Or(self, expr):  # noqa: N802
        return "(" + " || ".join(self._print(a) for a in expr.args) + ")"

    def _print_BooleanTrue(self, expr):  # noqa: N802
        return "true"

    def _print_BooleanFalse(self, expr):  # noqa: N802
        return "false"

    def _print_Piecewise(self, expr):  # noqa: N802
        parts: list[str] = []
        for value, cond in expr.args:
            if cond is sympy.true:
                parts.append(self._print(value))
                break
            parts += [self._print(value), self._print(cond)]
        return "piecewise(" + ", ".join(parts) + ")"


def _formula(expr: sympy.Expr) -> str:
    return _L3Printer({"order": "none"}).doprint(expr)


def _parse(formula: str):
    settings = libsbml.L3ParserSettings()
    settings.setParseLog(libsbml.L3P_PARSE_LOG_AS_LN)
    return libsbml.parseL3FormulaWithSettings(formula, settings)


def _notes(text: str) -> str:
    return f'<body xmlns="http://www.w3.org/1999/xhtml"><p>{html.escape(text)}</p></body>'


def network_to_sbml(net: Network) -> str:
    """The network as an SBML L3V2 string."""
    doc = libsbml.SBMLDocument(3, 2)
    model = doc.createModel()
    model.setId(net.name if net.name.isidentifier() else "jakstat_model")
    model.setName(net.description or net.name)
    units: dict[str, str] = {}
    nmol = _unit_id(model, "nmol", units)
    model.setSubstanceUnits(nmol)
    model.setExtentUnits(nmol)
    model.setTimeUnits("second")
    model.setVolumeUnits("litre")
    model.setNotes(_notes("Exported by jakstat. Values in nmol, L, s (concentrations in nM). "
                          "Research tool, not clinical advice."))
    targets = {a.target for e in net.events for a in e.assignments}
    for c in net.compartments:
        comp = model.createCompartment()
        comp.setId(c.id)
        comp.setName(c.name or c.id)
        comp.setSize(to_canonical(c.size, c.unit))
        comp.setSpatialDimensions(3)
        comp.setUnits("litre")
        comp.setConstant(True)
        comp.setNotes(_notes(f"{c.size:g} {c.unit}; {c.provenance.describe()}"))
    for s in net.species:
        sp = model.createSpecies()
        sp.setId(s.id)
        sp.setName(s.name or s.id)
        sp.setCompartment(s.compartment)
        sp.setInitialConcentration(to_canonical(s.initial, s.unit))
        sp.setSubstanceUnits(nmol)
        sp.setHasOnlySubstanceUnits(False)
        sp.setBoundaryCondition(s.boundary)
        sp.setConstant(False)
        sp.setNotes(_notes(f"initial {s.initial:g} {s.unit}; {s.provenance.describe()}"))
    for p in net.parameters:
        par = model.createParameter()
        par.setId(p.id)
        par.setValue(to_canonical(p.value, p.unit))
        par.setUnits(_unit_id(model, p.unit, units))
        par.setConstant(p.id not in targets)
        par.setNotes(_notes(f"{p.value:g} {p.unit}; {p.description + '; ' if p.description else ''}"
                            f"{p.provenance.describe()}"))
    species_ids = set(net.species_ids)
    for r in net.reactions:
        rx = model.createReaction()
        rx.setId(r.id)
        rx.setReversible(r.reversible)
        if r.description:
            rx.setNotes(_notes(r.description))
        for sid, n in r.reactants:
            ref = rx.createReactant()
            ref.setSpecies(sid)
            ref.setStoichiometry(n)
            ref.setConstant(True)
        for sid, n in r.products:
            ref = rx.createProduct()
            ref.setSpecies(sid)
            ref.setStoichiometry(n)
            ref.setConstant(True)
        involved = {sid for sid, _ in r.reactants + r.products}
        for sym in sorted(r.rate.free_symbols, key=lambda x: x.name):
            if sym.name in species_ids and sym.name not in involved:
                mod = rx.createModifier()
                mod.setSpecies(sym.name)
        math = _parse(_formula(r.rate))
        if math is None:
            raise SBMLError(f"reaction {r.id!r}: cannot write rate law {r.rate} as MathML")
        law = rx.createKineticLaw()
        _check(law.setMath(math), f"set the kinetic law of {r.id}")
    for e in net.events:
        ev = model.createEvent()
        ev.setId(e.id)
        ev.setUseValuesFromTriggerTime(True)
        trig = ev.createTrigger()
        trig.setInitialValue(False)
        trig.setPersistent(True)
        trig.setMath(libsbml.parseL3Formula(f"time >= {to_canonical(e.time, e.time_unit)!r}"))
        for a in e.assignments:
            ea = ev.createEventAssignment()
            ea.setVariable(a.target)
            value = to_canonical(a.value, a.unit)
            ea.setMath(libsbml.parseL3Formula(f"{a.target} + {value!r}" if a.mode == "add" else repr(value)))
    doc.checkInternalConsistency()
    errors = [doc.getError(i) for i in range(doc.getNumErrors())
              if doc.getError(i).getSeverity() >= libsbml.LIBSBML_SEV_ERROR]
    if errors:
        raise SBMLError("exported SBML is invalid: " + "; ".join(e.getMessage().strip() for e in errors[:5]))
    return libsbml.writeSBMLToString(doc)


def write_sbml(net: Network, path: str | Path) -> Path:
    """Write ``net`` as SBML to ``path`` and return the path."""
    path = Path(path)
    path.write_text(network_to_sbml(net))
    return path
