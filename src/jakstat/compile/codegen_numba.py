"""Compile a network's right-hand side and Jacobian with numba, for the batched engine.

The symbolic work is :func:`jakstat.compile.codegen.derive` (rates, sparse $\\partial v/\\partial y$,
CSE), shared with the plain-Python generator; this module only prints it differently. numba
cannot unpack an array into a tuple, so every ``y_i`` and ``p_k`` is loaded by index, and every
function writes into a preallocated array instead of returning a new one:

``rhs(t, y, p, out)``
    $dy/dt$ (nM/s) into ``out`` (length ``n_species``).
``jac(t, y, p, J)``
    the dense Jacobian (1/s) into ``J`` (``n_species x n_species``).
``jac_values(t, y, p, vals)``
    only the structural non-zeros, in the order of :attr:`NumbaModel.jac_rows` /
    :attr:`NumbaModel.jac_cols` (row-major), for sparse factorisation.
``dfdt(t, y, p, out)``
    $\\partial f/\\partial t$ (nM/s^2), zero for an autonomous network (Rosenbrock methods need it).

Sub-expressions over parameters only (products and ratios of rate constants, the reciprocal of
each compartment volume) are hoisted out of these functions into ``parametric(p, q)``, which
writes ``q = (p, hoisted values)`` once per parameter set; ``rhs_q``, ``jac_values_q`` and
``dfdt_q`` take ``q`` instead of ``p`` and so divide by nothing that is constant. The engine calls
the ``*_q`` forms (``parametric`` again after an event changes a parameter); the public functions
above are thin wrappers that build ``q`` first. (Measured on Bachmann 2011: the divisions by
parameters and volumes were most of the right-hand side's cost.)

Functions are compiled by ``numba.njit(cache=False, fastmath=False, error_model="numpy")``: no
fast-math, so results are IEEE-reproducible and agree with the plain-Python path to round-off, and
a division by zero gives inf/NaN (which the engine reports per member) instead of raising.
``parametric`` and the ``*_q`` functions are compiled eagerly with explicit signatures, the
wrappers on first call. Generated code cannot be cached on disk (it is built with ``exec``), so each
process compiles once per network structure (:attr:`NumbaModel.compile_seconds` records how long).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import sympy

from jakstat.compile.codegen import CompiledModel, Derivation, _coef, derive, math_namespace, new_printer

try:  # numba is needed only for the batched engine
    import numba
except ImportError:  # pragma: no cover - exercised only without numba
    numba = None

_SIG_VEC = "void(float64, float64[::1], float64[::1], float64[::1])"
_SIG_P = "void(float64[::1], float64[::1])"


@dataclass(frozen=True)
class NumbaModel:
    """numba-compiled functions of one network (see the module docstring for their contracts).

    Attributes
    ----------
    model : CompiledModel
        The plain-Python model it was built from (ids, ``y0``, ``p0``, events).
    jac_rows, jac_cols : ndarray of int
        Positions of the Jacobian's structural non-zeros, in ``jac_values`` order.
    autonomous : bool
        No rate law reads time (``dfdt`` is identically zero).
    n_q : int
        Length of the extended parameter vector ``q`` (``parametric(p, q)``).
    source : str
        The generated source.
    compile_seconds : float
        Wall time of the eager numba compilation (``parametric`` and the ``*_q`` functions), s.
    """

    model: CompiledModel
    jac_rows: np.ndarray
    jac_cols: np.ndarray
    autonomous: bool
    n_q: int
    source: str
    compile_seconds: float
    _functions: dict = field(repr=False, compare=False)

    @property
    def n_species(self) -> int:
        return len(self.model.species_ids)

    @property
    def rhs(self):
        return self._functions["rhs"]

    @property
    def jac(self):
        return self._functions["jac"]

    @property
    def jac_values(self):
        return self._functions["jac_values"]

    @property
    def dfdt(self):
        return self._functions["dfdt"]

    def function(self, name: str):
        """Any generated function by name, including ``parametric`` and the ``*_q`` forms."""
        return self._functions[name]


def numba_available() -> bool:
    return numba is not None


def _hoist(expr: sympy.Expr, is_parametric, table: dict) -> sympy.Expr:
    """``expr`` with every maximal sub-expression over parameters only (no state, no time) replaced by a
    symbol ``q_j`` of ``table`` (expression -> symbol, shared by all expressions)."""
    def symbol(sub: sympy.Expr) -> sympy.Symbol:
        if sub not in table:
            table[sub] = sympy.Symbol(f"q_{len(table)}")
        return table[sub]

    if expr.is_Atom:
        return expr
    if is_parametric(expr):
        return symbol(expr)
    if isinstance(expr, (sympy.Add, sympy.Mul)):
        fixed = [a for a in expr.args if is_parametric(a)]
        rest = [_hoist(a, is_parametric, table) for a in expr.args if not is_parametric(a)]
        if len(fixed) > 1 or (fixed and not fixed[0].is_Atom):
            fixed = [symbol(expr.func(*fixed))]
        return expr.func(*fixed, *rest)
    return expr.func(*[_hoist(a, is_parametric, table) for a in expr.args])


def numba_source(d: Derivation) -> tuple[str, bool, int]:
    """Source for numba (see the module docstring), whether the network is autonomous, and ``len(q)``.

    Sub-expressions over parameters only (rate-constant products and ratios, ``1/V`` of each
    compartment) are hoisted into ``parametric(p, q)``: ``q`` holds ``p`` followed by their
    values, computed once per parameter set instead of at every call. The ``*_q`` functions take
    ``q``; the public ``rhs``, ``jac``, ``jac_values`` and ``dfdt`` take ``p`` and build ``q`` first.
    """
    printer = new_printer()
    n, n_p = d.n_species, len(d.parameter_ids)
    p_syms = {sympy.Symbol(f"p_{k}") for k in range(n_p)}

    def is_parametric(e: sympy.Expr) -> bool:
        free = e.free_symbols
        return bool(free) and free <= p_syms and not e.is_Atom

    table: dict = {}
    inv_volume = {k: _hoist(1 / sympy.Symbol(f"p_{k}"), is_parametric, table) for k in sorted(set(d.volume_index))}
    rates = [_hoist(v, is_parametric, table) for v in d.rates]
    dv = [_hoist(e, is_parametric, table) for e in d.dv.values()]
    t_sym = sympy.Symbol("t")
    dvdt = {j: sympy.diff(v, t_sym) for j, v in enumerate(d.rates) if t_sym in v.free_symbols}
    dvdt = {j: _hoist(e, is_parametric, table) for j, e in dvdt.items() if e != 0}
    replacements, reduced = sympy.cse(rates + dv, symbols=sympy.numbered_symbols("c_"), optimizations="basic")
    m = d.n_reactions

    loads = [f"    y_{i} = y[{i}]" for i in range(n)] + [f"    p_{k} = q[{k}]" for k in range(n_p)]
    loads += [f"    {sym.name} = q[{n_p + j}]" for j, sym in enumerate(table.values())]
    body = [f"    {sym.name} = {printer.doprint(e)}" for sym, e in replacements]
    rate_lines = [f"    v_{j} = {printer.doprint(reduced[j])}" for j in range(m)]
    d_lines = [f"    d_{j}_{k} = {printer.doprint(reduced[m + idx])}" for idx, (j, k) in enumerate(d.dv)]

    def total(terms: list[tuple[float, str]], k_volume: int) -> str:
        text = " + ".join(f"{_coef(c)}{name}" for c, name in terms).replace("+ -", "- ")
        return f"({text}) * {inv_volume[k_volume]}"

    parametric = ["def parametric(p, q):", *[f"    p_{k} = p[{k}]" for k in range(n_p)],
                  f"    for k in range({n_p}):", "        q[k] = p[k]"]
    parametric += [f"    q[{n_p + j}] = {printer.doprint(e)}" for j, e in enumerate(table)]
    rhs = ["def rhs_q(t, y, q, out):", *loads, *body, *rate_lines]
    for i in range(n):
        terms = [(d.stoichiometry[i, j], f"v_{j}") for j in range(m) if d.stoichiometry[i, j] != 0]
        ok = terms and i not in d.boundary
        rhs.append(f"    out[{i}] = {total(terms, d.volume_index[i])}" if ok else f"    out[{i}] = 0.0")
    values = ["def jac_values_q(t, y, q, vals):", *loads, *body, *d_lines]
    for idx, ((i, k), terms) in enumerate(sorted(d.jac_terms.items())):
        values.append(f"    vals[{idx}] = {total([(c, f'd_{j}_{k}') for c, j in terms], d.volume_index[i])}")
    dfdt = ["def dfdt_q(t, y, q, out):", *loads, *[f"    dv_{j} = {printer.doprint(e)}" for j, e in dvdt.items()]]
    for i in range(n):
        terms = [(d.stoichiometry[i, j], f"dv_{j}") for j in dvdt if d.stoichiometry[i, j] != 0]
        ok = terms and i not in d.boundary
        dfdt.append(f"    out[{i}] = {total(terms, d.volume_index[i])}" if ok else f"    out[{i}] = 0.0")
    n_q = n_p + len(table)
    wrappers = [
        "def rhs(t, y, p, out):", f"    q = np.empty({n_q})", "    parametric(p, q)", "    rhs_q(t, y, q, out)", "",
        "def jac_values(t, y, p, vals):", f"    q = np.empty({n_q})", "    parametric(p, q)",
        "    jac_values_q(t, y, q, vals)", "",
        "def dfdt(t, y, p, out):", f"    q = np.empty({n_q})", "    parametric(p, q)", "    dfdt_q(t, y, q, out)", "",
        "def jac(t, y, p, J):", f"    vals = np.empty({len(d.jac_terms)})", "    jac_values(t, y, p, vals)",
        f"    for i in range({n}):", f"        for k in range({n}):", "            J[i, k] = 0.0",
        f"    for idx in range({len(d.jac_terms)}):", "        J[JAC_ROWS[idx], JAC_COLS[idx]] = vals[idx]"]
    parts = [parametric, rhs, values, dfdt]
    source = "\n\n".join("\n".join(part + ["    return"]) for part in parts) + "\n\n" + "\n".join(wrappers) + "\n"
    return source, not dvdt, n_q


def compile_numba(model: CompiledModel) -> NumbaModel:
    """numba-compile ``model``'s network (eagerly; the wall time is kept in ``compile_seconds``).

    Raises
    ------
    ImportError
        When numba is not installed (``pip install numba``).
    """
    if numba is None:
        raise ImportError("the batched engine needs numba: pip install numba")
    d = derive(model.network)
    source, autonomous, n_q = numba_source(d)
    entries = sorted(d.jac_terms)
    rows = np.array([i for i, _ in entries], dtype=np.int64)
    cols = np.array([k for _, k in entries], dtype=np.int64)
    namespace = math_namespace()  # numba resolves exp, log, ... as math-module globals
    namespace.update(np=np, JAC_ROWS=rows, JAC_COLS=cols)
    exec(compile(source, f"<jakstat-numba:{model.network.name}>", "exec"), namespace)
    start = time.perf_counter()
    options = dict(cache=False, fastmath=False, nogil=True, error_model="numpy")
    functions = {}
    for name, signature in (("parametric", _SIG_P), ("rhs_q", _SIG_VEC), ("jac_values_q", _SIG_VEC),
                            ("dfdt_q", _SIG_VEC)):
        functions[name] = namespace[name] = numba.njit(signature, **options)(namespace[name])
    for name in ("rhs", "jac_values", "dfdt", "jac"):  # thin wrappers, compiled on first call
        functions[name] = namespace[name] = numba.njit(**options)(namespace[name])
    seconds = time.perf_counter() - start
    return NumbaModel(model, rows, cols, autonomous, n_q, source, seconds, functions)
