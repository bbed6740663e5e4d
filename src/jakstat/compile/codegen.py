"""Compile a :class:`~jakstat.network.model.Network` into numeric functions.

The right-hand side and the analytic Jacobian are derived symbolically with sympy, simplified
by common-subexpression elimination and emitted as straight-line Python source (one scalar
statement per sub-expression). The source has no numpy calls in its body, so the same text can
later be compiled by numba for batched runs; for a single run the plain-Python function is
called by SciPy's integrator (see docs/design.md for the measurements behind this choice).

State ``y`` holds species concentrations in nM; the parameter vector ``p`` holds parameters
followed by compartment volumes, all in the canonical units of :mod:`jakstat.units`; time in s.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import scipy.sparse as sp
import sympy
from sympy.printing.pycode import PythonCodePrinter

from jakstat.network.model import TIME_SYMBOL, Network
from jakstat.units import to_canonical


class _Printer(PythonCodePrinter):
    """Prints plain ``math``-module Python with no module prefixes beyond ``math.``."""

    def _print_Symbol(self, expr):  # noqa: N802 (sympy's naming)
        return expr.name


@dataclass(frozen=True)
class CompiledModel:
    """Numeric form of a network.

    Attributes
    ----------
    species_ids : tuple of str
        Order of the state vector (concentrations, nM).
    parameter_ids : tuple of str
        Order of the parameter vector: parameters, then compartment volumes (canonical units).
    y0, p0 : ndarray
        Initial state (nM) and parameter values (canonical units).
    stoichiometry : ndarray, shape (n_species, n_reactions)
        Net stoichiometry (amount based).
    species_volume_index : ndarray of int
        For each species, the index in ``p`` of its compartment volume.
    jac_sparsity : scipy.sparse.csr_matrix
        Structural non-zeros of the Jacobian.
    source : str
        The generated Python source (rhs, jac, rates).
    """

    network: Network
    species_ids: tuple[str, ...]
    parameter_ids: tuple[str, ...]
    y0: np.ndarray
    p0: np.ndarray
    stoichiometry: np.ndarray
    species_volume_index: np.ndarray
    jac_sparsity: sp.csr_matrix
    source: str
    _functions: dict = field(repr=False, compare=False)

    @property
    def rhs(self) -> Callable[[float, np.ndarray, np.ndarray], np.ndarray]:
        """``rhs(t, y, p) -> dy/dt`` in nM/s."""
        return self._functions["rhs"]

    @property
    def jac(self) -> Callable[[float, np.ndarray, np.ndarray], np.ndarray]:
        """``jac(t, y, p) -> d(dy/dt)/dy`` as a dense array, in 1/s."""
        return self._functions["jac"]

    @property
    def rates(self) -> Callable[[float, np.ndarray, np.ndarray], np.ndarray]:
        """``rates(t, y, p) -> v`` reaction rates in nmol/s."""
        return self._functions["rates"]

    def species_index(self, species_id: str) -> int:
        return self.species_ids.index(species_id)

    def parameter_vector(self, **overrides: float) -> np.ndarray:
        """``p0`` with some entries replaced (values in canonical units)."""
        p = self.p0.copy()
        for key, value in overrides.items():
            p[self.parameter_ids.index(key)] = value
        return p


def canonical_parameter_values(net: Network) -> dict[str, float]:
    """Every parameter and compartment size converted to the canonical unit system."""
    values = {p.id: to_canonical(p.value, p.unit) for p in net.parameters}
    values.update({c.id: to_canonical(c.size, c.unit) for c in net.compartments})
    return values


@dataclass(frozen=True)
class Derivation:
    """The symbolic form of a network that every code generator prints from.

    Symbols are ``y_i`` (state), ``p_k`` (parameters, then compartment volumes) and ``t``; the
    derivation visits them in sorted order, so the printed code does not depend on the hash seed.

    Attributes
    ----------
    species_ids, parameter_ids : tuple of str
        Order of ``y`` and ``p`` (as in :class:`CompiledModel`).
    stoichiometry : ndarray, shape (n_species, n_reactions)
        Net stoichiometry (amount based).
    boundary : frozenset of int
        Species held constant by reactions (their derivative is zero).
    volume_index : ndarray of int
        For each species, the index in ``p`` of its compartment volume.
    rates : tuple of sympy.Expr
        Rate law ``v_j`` of each reaction over ``y_i``, ``p_k`` and ``t``.
    dv : dict of (j, k) -> sympy.Expr
        The non-zero derivatives $\\partial v_j / \\partial y_k$.
    jac_terms : dict of (i, k) -> list of (coefficient, j)
        $J_{ik} = \\sum_j S_{ij} \\, \\partial v_j/\\partial y_k / V_i$ as its non-zero terms.
    cse : tuple of (sympy.Symbol, sympy.Expr)
        Common sub-expressions ``c_*`` of rates and derivatives, in evaluation order.
    cse_rates, cse_dv : tuple of sympy.Expr
        The rates and the derivatives (in ``dv`` order) written over the ``c_*``.
    """

    species_ids: tuple[str, ...]
    parameter_ids: tuple[str, ...]
    stoichiometry: np.ndarray
    boundary: frozenset
    volume_index: np.ndarray
    rates: tuple
    dv: dict
    jac_terms: dict
    cse: tuple
    cse_rates: tuple
    cse_dv: tuple

    @property
    def n_species(self) -> int:
        return len(self.species_ids)

    @property
    def n_reactions(self) -> int:
        return len(self.rates)


def derive(net: Network) -> Derivation:
    """Rates, sparse $\\partial v/\\partial y$, stoichiometry and CSE of ``net`` (no code is printed)."""
    species_ids = net.species_ids
    parameter_ids = net.parameter_ids + tuple(c.id for c in net.compartments)
    n, m = len(species_ids), len(net.reactions)
    s_index = {sid: i for i, sid in enumerate(species_ids)}
    p_index = {pid: k for k, pid in enumerate(parameter_ids)}

    y_sym = [sympy.Symbol(f"y_{i}") for i in range(n)]
    p_sym = [sympy.Symbol(f"p_{k}") for k in range(len(parameter_ids))]
    t_sym = sympy.Symbol("t")
    subs = {sympy.Symbol(sid): y_sym[i] for sid, i in s_index.items()}
    subs.update({sympy.Symbol(pid): p_sym[k] for pid, k in p_index.items()})
    subs[TIME_SYMBOL] = t_sym

    rates = [r.rate.xreplace(subs) for r in net.reactions]
    stoich = np.zeros((n, m))
    for j, r in enumerate(net.reactions):
        for sid, coeff in r.stoichiometry().items():
            stoich[s_index[sid], j] = coeff
    boundary = {s_index[s.id] for s in net.species if s.boundary}
    volume_index = np.array([p_index[s.compartment] for s in net.species], dtype=int)

    # dv_j/dy_k, sparse
    dv: dict[tuple[int, int], sympy.Expr] = {}
    for j, v in enumerate(rates):
        for sym in sorted(v.free_symbols, key=lambda s: s.name):
            if sym.name.startswith("y_"):
                k = int(sym.name[2:])
                d = sympy.diff(v, sym)
                if d != 0:
                    dv[(j, k)] = d
    # Jacobian entries J_ik = sum_j S_ij dv_jk / V_i
    jac_terms: dict[tuple[int, int], list[tuple[float, int]]] = {}
    for (j, k), _ in dv.items():
        for i in np.nonzero(stoich[:, j])[0]:
            if int(i) in boundary:
                continue
            jac_terms.setdefault((int(i), k), []).append((float(stoich[i, j]), j))

    replacements, reduced = sympy.cse(rates + list(dv.values()), symbols=sympy.numbered_symbols("c_"),
                                      optimizations="basic")
    return Derivation(species_ids, parameter_ids, stoich, frozenset(boundary), volume_index, tuple(rates), dv,
                      jac_terms, tuple(replacements), tuple(reduced[:m]), tuple(reduced[m:]))


def math_namespace() -> dict:
    """Globals for generated code: the printer writes bare function names (``exp``, ``log``, ``sqrt``)."""
    namespace = {name: getattr(math, name) for name in dir(math) if not name.startswith("_")}
    namespace["math"] = math
    return namespace


def new_printer() -> PythonCodePrinter:
    """The printer every generator uses: plain Python scalars, ``math.`` functions, bare symbol names."""
    return _Printer({"fully_qualified_modules": True, "standard": "python3"})


def cse_lines(d: Derivation, printer: PythonCodePrinter, indent: str = "    ") -> list[str]:
    """``c_* = ...``, ``v_j = ...`` and ``d_j_k = ...`` statements, in evaluation order."""
    common = [f"{indent}{sym.name} = {printer.doprint(expr)}" for sym, expr in d.cse]
    rate_lines = [f"{indent}v_{j} = {printer.doprint(d.cse_rates[j])}" for j in range(d.n_reactions)]
    d_lines = [f"{indent}d_{key[0]}_{key[1]} = {printer.doprint(d.cse_dv[idx])}" for idx, key in enumerate(d.dv)]
    return common + rate_lines + d_lines


def rhs_expressions(d: Derivation) -> list[tuple[int, str]]:
    """``(i, text)``: $dy_i/dt$ over the ``v_j`` for each species that reactions change."""
    out = []
    for i in range(d.n_species):
        if i in d.boundary:
            continue
        terms = [f"{_coef(d.stoichiometry[i, j])}v_{j}" for j in range(d.n_reactions) if d.stoichiometry[i, j] != 0]
        if terms:
            out.append((i, f"({' + '.join(terms).replace('+ -', '- ')}) / p_{d.volume_index[i]}"))
    return out


def jac_expressions(d: Derivation) -> list[tuple[tuple[int, int], str]]:
    """``((i, k), text)``: $J_{ik}$ over the ``d_j_k``, in sorted (row, column) order."""
    out = []
    for (i, k), terms in sorted(d.jac_terms.items()):
        expr = " + ".join(f"{_coef(c)}d_{j}_{k}" for c, j in terms).replace("+ -", "- ")
        out.append(((i, k), f"({expr}) / p_{d.volume_index[i]}"))
    return out


def jac_sparsity(d: Derivation) -> sp.csr_matrix:
    """Structural non-zeros of the Jacobian as a CSR matrix of ones."""
    n = d.n_species
    rows, cols = zip(*d.jac_terms) if d.jac_terms else ((), ())
    return sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))


def compile_network(net: Network) -> CompiledModel:
    """Compile ``net`` to a :class:`CompiledModel` (symbolic derivation + code generation)."""
    d = derive(net)
    n, m = d.n_species, d.n_reactions
    parameter_ids = d.parameter_ids
    printer = new_printer()
    lines = cse_lines(d, printer)
    n_common = len(d.cse)
    common, rate_lines, d_lines = lines[:n_common], lines[n_common:n_common + m], lines[n_common + m:]

    header = ["    " + ", ".join(f"y_{i}" for i in range(n)) + (", = y" if n else " = ()"),
              "    " + ", ".join(f"p_{k}" for k in range(len(parameter_ids))) + (", = p" if parameter_ids else " = ()")]

    rhs_lines = ["def rhs(t, y, p):", *header, *common, *rate_lines, "    out = np.zeros(%d)" % n]
    rhs_lines += [f"    out[{i}] = {text}" for i, text in rhs_expressions(d)]
    rhs_lines.append("    return out")

    jac_lines = ["def jac(t, y, p):", *header, *common, *d_lines, f"    J = np.zeros(({n}, {n}))"]
    jac_lines += [f"    J[{i}, {k}] = {text}" for (i, k), text in jac_expressions(d)]
    jac_lines.append("    return J")

    rates_lines = ["def rates(t, y, p):", *header, *common, *rate_lines,
                   "    return np.array([" + ", ".join(f"v_{j}" for j in range(m)) + "])"]
    source = "\n".join(rhs_lines + [""] + jac_lines + [""] + rates_lines) + "\n"
    namespace: dict = {**math_namespace(), "np": np}
    exec(compile(source, f"<jakstat:{net.name}>", "exec"), namespace)

    values = canonical_parameter_values(net)
    y0 = np.array([to_canonical(s.initial, s.unit) for s in net.species])
    p0 = np.array([values[pid] for pid in parameter_ids])
    return CompiledModel(net, d.species_ids, parameter_ids, y0, p0, d.stoichiometry, d.volume_index, jac_sparsity(d),
                         source, {k: namespace[k] for k in ("rhs", "jac", "rates")})


def _coef(c: float) -> str:
    if c == 1:
        return ""
    if c == -1:
        return "-"
    return f"{c:g}*"
