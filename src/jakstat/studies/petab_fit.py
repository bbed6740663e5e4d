"""Calibrate a PEtab v1 problem against its measurements, on the batched engine.

The objective is PEtab's negative log-likelihood (https://petab.readthedocs.io, v1 "noise models"):
for each measurement :math:`y` with simulated observable :math:`h` and noise :math:`\\sigma`
(``noiseDistribution`` normal),

- ``observableTransformation`` lin: :math:`\\tfrac12\\log(2\\pi\\sigma^2) + \\tfrac12((y-h)/\\sigma)^2`;
- log: the same in :math:`\\log y`, :math:`\\log h`, plus :math:`\\log y`;
- log10: the same in :math:`\\log_{10}`, plus :math:`\\log(y \\ln 10)`.

Every simulation of a fit goes through :func:`jakstat.engine.batch.simulate_batch`: one batch per
least-squares iteration holds the point and its central finite-difference neighbours in every
dynamic estimated parameter (the ones that are model parameters); noise and observable parameters
need no simulation. The minimiser is ``scipy.optimize.least_squares`` (trust-region reflective,
bounds from the parameter table) on the residuals :math:`r = (y-h)/\\sigma` and
:math:`s = \\sqrt{2\\log\\sigma + C}` (a constant :math:`C` keeps :math:`s` real), whose half sum
of squares is the negative log-likelihood up to a constant: the usual route for estimated noise
(Raue et al. 2013, Data2Dynamics).

Supported: one or more simulation conditions without pre-equilibration, normal noise, lin/log/log10
observable transformations and parameter scales, numeric or parameter-id observable and noise
parameter overrides. Anything else is refused with a message naming the field.

>>> fit = calibrate_petab("Boehm_JProteomeRes2014", starts=4, seed=1)  # doctest: +SKIP
>>> round(fit.nllh, 3)  # doctest: +SKIP
138.222
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import libsbml
import numpy as np
import pandas as pd
import sympy
from scipy.optimize import least_squares

from jakstat.compile.codegen import CompiledModel, compile_network
from jakstat.compile.petab_problem import PetabProblem, load_petab, read_petab
from jakstat.engine.batch import BatchSolver, batch_solver, simulate_batch
from jakstat.errors import InvalidValueError, TableError, UnknownNameError

SCALES = ("lin", "log", "log10")
TRANSFORMATIONS = ("lin", "log", "log10")
SIGMA_SHIFT = 2.0 * 30.0 * np.log(10.0)  # C: s stays real for any sigma > 1e-30
FD_STEP = 1e-4  # central-difference step on the parameter scale
FAILED_RESIDUAL = 1e6  # residual of a simulation that failed (the optimiser steps back)


def _to_linear(x: np.ndarray, scales: Sequence[str]) -> np.ndarray:
    out = np.array(x, dtype=float, copy=True)
    for j, scale in enumerate(scales):
        if scale == "log10":
            out[..., j] = 10.0 ** out[..., j]
        elif scale == "log":
            out[..., j] = np.exp(out[..., j])
    return out


def _to_scale(values: np.ndarray, scales: Sequence[str]) -> np.ndarray:
    out = np.array(values, dtype=float, copy=True)
    for j, scale in enumerate(scales):
        if scale == "log10":
            out[..., j] = np.log10(out[..., j])
        elif scale == "log":
            out[..., j] = np.log(out[..., j])
    return out


@dataclass(frozen=True, eq=False)
class _Group:
    """Measurements of one observable in one condition that share their parameter overrides."""

    observable: Callable[..., np.ndarray]
    noise: Callable[..., np.ndarray]
    symbols: tuple[str, ...]  # argument names of both functions, in order
    transformation: str
    time_index: np.ndarray  # rows -> index into the condition's output times
    y: np.ndarray  # measured values
    rows: np.ndarray  # positions of these measurements in the measurement table


@dataclass(frozen=True, eq=False)
class _Condition:
    condition_id: str
    model: CompiledModel
    solver: BatchSolver
    times: np.ndarray
    dynamic_columns: np.ndarray  # column in model.parameter_ids of each dynamic estimated parameter
    groups: tuple[_Group, ...]


@dataclass(frozen=True, eq=False)
class PetabObjective:
    """The negative log-likelihood of a PEtab v1 problem as a function of its estimated parameters.

    Attributes
    ----------
    problem : PetabProblem
        The problem read from its YAML file.
    parameter_ids, scales : tuple of str
        Estimated parameters (``estimate == 1``) and their ``parameterScale``.
    lower, upper, nominal : ndarray
        Bounds and nominal values on the parameter scale.
    dynamic : tuple of int
        Positions (in ``parameter_ids``) of the estimated parameters that are model parameters.
    n_measurements : int
        Data points of all conditions.
    rtol, atol : float
        Tolerances of the simulations (relative; absolute in the model's concentration units).
    """

    problem: PetabProblem
    parameter_ids: tuple[str, ...]
    scales: tuple[str, ...]
    lower: np.ndarray
    upper: np.ndarray
    nominal: np.ndarray
    dynamic: tuple[int, ...]
    conditions: tuple[_Condition, ...] = field(repr=False)
    fixed_values: dict[str, float] = field(repr=False)
    measurements: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    n_measurements: int = 0
    rtol: float = 1e-10
    atol: float = 1e-12

    # -- simulation -------------------------------------------------------------------------------------------------
    def simulate(self, X: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        """States of every condition for each row of ``X`` (parameter scale): ``(states, ok)`` per condition."""
        X = np.atleast_2d(np.asarray(X, dtype=float))
        linear = _to_linear(X, self.scales)
        out = []
        for cond in self.conditions:
            P = np.repeat(cond.model.p0[None, :], X.shape[0], axis=0)
            if self.dynamic:
                P[:, cond.dynamic_columns] = linear[:, list(self.dynamic)]
            result = simulate_batch(cond.solver, cond.times, P, rtol=self.rtol, atol=self.atol, n_threads=None)
            out.append((result.states, result.ok))
        return out

    # -- residuals and likelihood -----------------------------------------------------------------------------------
    def _arguments(self, group: _Group, cond: _Condition, states: np.ndarray, by_id: dict[str, np.ndarray],
                   n: int) -> list[np.ndarray]:
        """Values of a group's formula symbols: species (n, rows), time, estimated, model and fixed parameters."""
        columns = {sid: k for k, sid in enumerate(cond.model.species_ids)}
        params = dict(zip(cond.model.parameter_ids, cond.model.p0))
        args = []
        for name in group.symbols:
            if name in columns:
                args.append(states[:, group.time_index, columns[name]])
            elif name == "time":
                args.append(cond.times[group.time_index][None, :])
            elif name in by_id:
                args.append(by_id[name])
            elif name in params:
                args.append(np.full((n, 1), params[name]))
            else:
                args.append(np.full((n, 1), self.fixed_values[name]))
        return args

    def _terms(self, X: np.ndarray, simulated) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Per member: data residuals, noise sd, transformed-data constants, and success flags."""
        X = np.atleast_2d(X)
        linear = _to_linear(X, self.scales)
        by_id = {pid: linear[:, [j]] for j, pid in enumerate(self.parameter_ids)}
        residuals, sigmas, constants, ok_all = [], [], [], np.ones(X.shape[0], bool)
        for cond, (states, ok) in zip(self.conditions, simulated):
            ok_all &= ok
            for group in cond.groups:
                args = self._arguments(group, cond, states, by_id, X.shape[0])
                h = np.broadcast_to(group.observable(*args), (X.shape[0], group.y.size))
                sigma = np.broadcast_to(group.noise(*args), (X.shape[0], group.y.size))
                y = group.y[None, :]
                if group.transformation == "lin":
                    r, c = (y - h) / sigma, np.zeros_like(y)
                elif group.transformation == "log":
                    with np.errstate(invalid="ignore", divide="ignore"):
                        r, c = (np.log(y) - np.log(h)) / sigma, np.log(y)
                else:
                    with np.errstate(invalid="ignore", divide="ignore"):
                        r, c = (np.log10(y) - np.log10(h)) / sigma, np.log(y * np.log(10.0))
                residuals.append(r)
                sigmas.append(sigma)
                constants.append(np.broadcast_to(c, r.shape))
        return (np.concatenate(residuals, axis=1), np.concatenate(sigmas, axis=1),
                np.concatenate(constants, axis=1), ok_all)

    def simulated_measurements(self, x: np.ndarray) -> pd.DataFrame:
        """The measurement table with ``simulation`` (observable, untransformed) and ``sigma`` at ``x``."""
        x = np.atleast_2d(np.asarray(x, dtype=float))[:1]
        linear = _to_linear(x, self.scales)
        by_id = {pid: linear[:, [j]] for j, pid in enumerate(self.parameter_ids)}
        table = self.measurements.copy()
        table["simulation"], table["sigma"] = np.nan, np.nan
        for cond, (states, _) in zip(self.conditions, self.simulate(x)):
            for group in cond.groups:
                args = self._arguments(group, cond, states, by_id, 1)
                table.loc[table.index[group.rows], "simulation"] = np.broadcast_to(
                    group.observable(*args), (1, group.y.size))[0]
                table.loc[table.index[group.rows], "sigma"] = np.broadcast_to(group.noise(*args), (1, group.y.size))[0]
        return table

    def nllh(self, X: np.ndarray) -> np.ndarray:
        """Negative log-likelihood of each row of ``X`` (parameter scale); ``inf`` where a simulation failed."""
        X = np.atleast_2d(np.asarray(X, dtype=float))
        r, sigma, c, ok = self._terms(X, self.simulate(X))
        value = np.sum(0.5 * np.log(2.0 * np.pi * sigma**2) + 0.5 * r**2 + c, axis=1)
        return np.where(ok & np.isfinite(value), value, np.inf)

    def residuals(self, X: np.ndarray, simulated=None) -> np.ndarray:
        """Least-squares residuals ``[r, s]`` per row of ``X``; half their squared norm is the nllh up to a constant."""
        X = np.atleast_2d(np.asarray(X, dtype=float))
        r, sigma, _, ok = self._terms(X, self.simulate(X) if simulated is None else simulated)
        with np.errstate(invalid="ignore"):
            s = np.sqrt(np.maximum(2.0 * np.log(sigma) + SIGMA_SHIFT, 0.0))
        out = np.concatenate([r, s], axis=1)
        bad = ~ok | ~np.all(np.isfinite(out), axis=1)
        out[bad] = FAILED_RESIDUAL
        return out

    def residual_offset(self) -> float:
        """nllh = 0.5 * ||residuals||^2 + this (for any parameters): the constants the residuals leave out."""
        # 0.5*log(2 pi sigma^2) = log(sigma) + 0.5 log(2 pi) and 0.5*s^2 = log(sigma) + C/2
        return self.n_measurements * (0.5 * np.log(2.0 * np.pi) - 0.5 * SIGMA_SHIFT)

    def residuals_and_jacobian(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Residuals at ``x`` and their central-difference Jacobian, from one batch of simulations."""
        x = np.asarray(x, dtype=float)
        n = x.size
        step = np.full(n, FD_STEP)
        X = np.repeat(x[None, :], 1 + 2 * n, axis=0)
        for j in range(n):
            X[1 + 2 * j, j] += step[j]
            X[2 + 2 * j, j] -= step[j]
        # only the dynamic parameters need simulations; the others reuse the centre's states
        sim_rows = [0] + [1 + 2 * j + k for j in self.dynamic for k in (0, 1)]
        simulated = self.simulate(X[sim_rows])
        index = np.zeros(X.shape[0], int)
        index[sim_rows] = np.arange(len(sim_rows))
        expanded = [(states[index], ok[index]) for states, ok in simulated]
        R = self.residuals(X, expanded)
        J = (R[1::2] - R[2::2]).T / (2.0 * step[None, :])
        return R[0], J


def _sympify(text: str, kind: str, ident: str) -> sympy.Expr:
    try:
        return sympy.sympify(str(text), locals={"time": sympy.Symbol("time")})
    except (sympy.SympifyError, SyntaxError, TypeError) as exc:
        raise TableError("observables table", None, kind, text, f"{ident}: not a formula ({exc})") from None


def _override(entry: object, observable_id: str, prefix: str, n_placeholders: int) -> dict[str, str | float]:
    """``observableParameter1_<obs>`` -> value (number or parameter id) from a measurement row's cell."""
    if n_placeholders == 0:
        return {}
    if entry is None or pd.isna(entry) or str(entry).strip() == "":
        raise InvalidValueError(f"measurement of {observable_id!r}: {prefix}Parameters is empty but the formula has "
                                f"{n_placeholders} placeholder(s)")
    parts = [p.strip() for p in str(entry).split(";")]
    if len(parts) != n_placeholders:
        raise InvalidValueError(f"measurement of {observable_id!r}: {prefix}Parameters {entry!r} has {len(parts)} "
                                f"value(s); the formula needs {n_placeholders}")
    out: dict[str, str | float] = {}
    for k, part in enumerate(parts, start=1):
        try:
            out[f"{prefix}Parameter{k}_{observable_id}"] = float(part)
        except ValueError:
            out[f"{prefix}Parameter{k}_{observable_id}"] = part
    return out


def _placeholders(expr: sympy.Expr, prefix: str, observable_id: str) -> int:
    names = {s.name for s in expr.free_symbols if s.name.startswith(f"{prefix}Parameter")
             and s.name.endswith(f"_{observable_id}")}
    return len(names)


def _names(node: libsbml.ASTNode) -> set[str]:
    """Identifiers in a libsbml formula tree (any construct: piecewise, functions, logical operators)."""
    found = {node.getName()} if node.getType() == libsbml.AST_NAME else set()
    for k in range(node.getNumChildren()):
        found |= _names(node.getChild(k))
    return found


def _initial_assignment_ids(sbml_path: Path) -> set[str]:
    """Ids that appear in the SBML model's initial assignments (their change would move initial values)."""
    model = libsbml.readSBMLFromFile(str(sbml_path)).getModel()
    found: set[str] = set()
    for ia in model.getListOfInitialAssignments():
        if ia.isSetMath():
            found |= _names(ia.getMath())
    return found


def petab_objective(problem: str | Path | PetabProblem, *, rtol: float = 1e-10, atol: float = 1e-12) -> PetabObjective:
    """Build the objective of a PEtab v1 problem (folder or YAML file).

    Raises
    ------
    InvalidValueError
        For what the objective does not support (pre-equilibration, a noise distribution other than
        normal, an estimated parameter that sets an initial value), naming the table and field.
    """
    import yaml

    p = read_petab(problem)
    spec = yaml.safe_load(p.yaml_path.read_text())
    part = spec["problems"][0]
    base = p.yaml_path.parent
    for key in ("measurement_files", "observable_files"):
        if not part.get(key):
            raise InvalidValueError(f"{p.yaml_path.name}: {key} is missing; a calibration needs measurements and "
                                    "observables")
    measurements = pd.concat([pd.read_csv(base / f, sep="\t") for f in part["measurement_files"]], ignore_index=True)
    observables = pd.concat([pd.read_csv(base / f, sep="\t") for f in part["observable_files"]]).set_index(
        "observableId", drop=False)
    pre = measurements.get("preequilibrationConditionId")
    if pre is not None and pre.notna().any() and (pre.astype(str).str.strip() != "").any():
        raise InvalidValueError(f"{p.name}: measurement table column preequilibrationConditionId is set; "
                                "pre-equilibration is not supported by jakstat's PEtab objective")

    table = p.parameters
    estimate = table.get("estimate", pd.Series(0, index=table.index)).fillna(0).astype(int)
    est = table[estimate == 1]
    if est.empty:
        raise InvalidValueError(f"{p.name}: the parameter table has no row with estimate = 1; nothing to calibrate")
    scales = tuple(str(s) if isinstance(s, str) else "lin" for s in est.get("parameterScale", ["lin"] * len(est)))
    for pid, scale in zip(est.index, scales):
        if scale not in SCALES:
            raise InvalidValueError(f"{p.name}: parameter {pid!r}: parameterScale {scale!r} is not allowed; "
                                    f"allowed: {', '.join(SCALES)}")
    lower = _to_scale(est["lowerBound"].to_numpy(float)[None, :], scales)[0]
    upper = _to_scale(est["upperBound"].to_numpy(float)[None, :], scales)[0]
    nominal = _to_scale(est["nominalValue"].to_numpy(float)[None, :], scales)[0]
    fixed_values = {pid: float(v) for pid, v in table.loc[estimate != 1, "nominalValue"].items()}

    conditions = []
    dynamic: tuple[int, ...] | None = None
    ia_ids = _initial_assignment_ids(p.sbml_path)
    n_measurements = 0
    for condition_id in measurements["simulationConditionId"].drop_duplicates():
        if condition_id not in p.conditions.index:
            raise UnknownNameError(f"simulationConditionId of {p.name}'s measurement table", condition_id,
                                   p.conditions.index)
        model = compile_network(load_petab(p, condition_id))
        model_ids = list(model.parameter_ids)
        dyn = tuple(j for j, pid in enumerate(est.index) if pid in model_ids)
        if dynamic is None:
            dynamic = dyn
        overridden = [pid for pid in est.index if pid in p.conditions.columns]
        if overridden:
            raise InvalidValueError(f"{p.name}: estimated parameter(s) {overridden} are set by the condition table; "
                                    "not supported by jakstat's PEtab objective")
        moving = [est.index[j] for j in dyn if est.index[j] in ia_ids]
        if moving:
            raise InvalidValueError(f"{p.name}: estimated parameter(s) {moving} appear in initial assignments; "
                                    "not supported by jakstat's PEtab objective")
        rows = measurements[measurements["simulationConditionId"] == condition_id]
        times = np.unique(rows["time"].to_numpy(float))
        if np.any(~np.isfinite(times)) or times[0] < 0:
            raise InvalidValueError(f"{p.name}: measurement times must be finite and >= 0 (steady-state 'inf' "
                                    "measurements are not supported)")
        groups = []
        for obs_id, obs_rows in rows.groupby("observableId", sort=False):
            if obs_id not in observables.index:
                raise UnknownNameError(f"observableId of {p.name}'s measurement table", obs_id, observables.index)
            obs = observables.loc[obs_id]
            distribution = str(obs.get("noiseDistribution", "normal") or "normal")
            distribution = "normal" if distribution == "nan" else distribution
            if distribution != "normal":
                raise InvalidValueError(f"{p.name}: observable {obs_id!r}: noiseDistribution {distribution!r} is not "
                                        "supported; allowed: normal")
            transformation = str(obs.get("observableTransformation", "lin") or "lin")
            transformation = "lin" if transformation == "nan" else transformation
            if transformation not in TRANSFORMATIONS:
                raise InvalidValueError(f"{p.name}: observable {obs_id!r}: observableTransformation "
                                        f"{transformation!r}; allowed: {', '.join(TRANSFORMATIONS)}")
            h_expr = _sympify(obs["observableFormula"], "observableFormula", obs_id)
            s_expr = _sympify(obs["noiseFormula"], "noiseFormula", obs_id)
            n_obs = _placeholders(h_expr, "observable", obs_id)
            n_noise = _placeholders(s_expr, "noise", obs_id)
            keys = [obs_rows.get(c, pd.Series("", index=obs_rows.index)).astype(object).where(
                lambda v: v.notna(), "").astype(str) for c in ("observableParameters", "noiseParameters")]
            for _, sub in obs_rows.groupby((keys[0] + "|" + keys[1]).to_numpy(), sort=False):
                first = sub.iloc[0]
                subs = {**_override(first.get("observableParameters"), obs_id, "observable", n_obs),
                        **_override(first.get("noiseParameters"), obs_id, "noise", n_noise)}
                mapping = {sympy.Symbol(k): (sympy.Float(v) if isinstance(v, float) else sympy.Symbol(v))
                           for k, v in subs.items()}
                h, s = h_expr.xreplace(mapping), s_expr.xreplace(mapping)
                symbols = tuple(sorted({sym.name for sym in (h.free_symbols | s.free_symbols)}))
                known = set(model.species_ids) | set(model_ids) | set(est.index) | set(fixed_values) | {"time"}
                unknown = [name for name in symbols if name not in known]
                if unknown:
                    raise UnknownNameError(f"symbol in the formulas of observable {obs_id!r} ({p.name})", unknown[0],
                                           sorted(known))
                args = [sympy.Symbol(name) for name in symbols]
                groups.append(_Group(sympy.lambdify(args, h, "numpy"), sympy.lambdify(args, s, "numpy"), symbols,
                                     transformation, np.searchsorted(times, sub["time"].to_numpy(float)),
                                     sub["measurement"].to_numpy(float), measurements.index.get_indexer(sub.index)))
                n_measurements += len(sub)
        columns = np.array([model_ids.index(est.index[j]) for j in dyn], dtype=int)
        conditions.append(_Condition(str(condition_id), model, batch_solver(model), times, columns, tuple(groups)))
    return PetabObjective(p, tuple(est.index), scales, lower, upper, nominal, dynamic or (), tuple(conditions),
                          fixed_values, measurements, n_measurements, rtol, atol)


@dataclass(frozen=True)
class PetabFit:
    """The result of :func:`calibrate_petab`.

    Attributes
    ----------
    problem : str
        The PEtab problem's name.
    parameter_ids, scales : tuple of str
        Estimated parameters and their scales.
    x : ndarray
        Best parameters on their scales.
    nllh : float
        Negative log-likelihood at ``x``.
    nominal_nllh : float
        Negative log-likelihood at the parameter table's nominal values.
    starts : pandas.DataFrame
        One row per start: ``start``, ``nllh_start``, ``nllh``, ``n_jacobians``, ``status``, ``message`` and one
        column per parameter (best value on its scale).
    n_simulations : int
        Simulations run (batch members) over all starts.
    """

    problem: str
    parameter_ids: tuple[str, ...]
    scales: tuple[str, ...]
    x: np.ndarray
    nllh: float
    nominal_nllh: float
    starts: pd.DataFrame
    n_simulations: int

    @property
    def values(self) -> dict[str, float]:
        """Best parameters on the linear scale."""
        return dict(zip(self.parameter_ids, _to_linear(self.x[None, :], self.scales)[0].tolist()))

    def record(self, name: str, method: str) -> dict:
        """A calibration record (see :mod:`jakstat.data.calibration_records`) of this fit."""
        return {
            "name": name, "date": _dt.date.today().isoformat(), "method": method,
            "targets_fitted": [f"PEtab {self.problem}: measurement table"], "targets_held_out": [],
            "parameters": {pid: {"value": v, "unit": "model units (PEtab)", "network": self.problem,
                                 "scale": s} for (pid, v), s in zip(self.values.items(), self.scales)},
            "result": {"nllh": self.nllh, "nominal_nllh": self.nominal_nllh, "n_starts": int(len(self.starts)),
                       "n_simulations": self.n_simulations},
        }


def start_points(objective: PetabObjective, starts: int, seed: int, spread: float | None = None) -> np.ndarray:
    """Start points on the parameter scale: uniform in the bounds, or (``spread``) nominal +/- ``spread``.

    ``spread`` is a half-width on the parameter scale (e.g. 1.0 = a factor of 10 either way on log10).
    """
    if starts < 1:
        raise InvalidValueError(f"starts = {starts}: need at least 1")
    rng = np.random.default_rng(seed)
    if spread is None:
        return rng.uniform(objective.lower, objective.upper, size=(starts, objective.nominal.size))
    if spread < 0:
        raise InvalidValueError(f"spread = {spread}: need >= 0 (half-width on the parameter scale)")
    X = objective.nominal + rng.uniform(-spread, spread, size=(starts, objective.nominal.size))
    return np.clip(X, objective.lower, objective.upper)


def calibrate_petab(problem: str | Path | PetabProblem, *, starts: int = 10, seed: int = 0,
                    spread: float | None = None, max_jacobians: int = 1000,
                    progress: Callable[[int, int], None] | None = None) -> PetabFit:
    """Multistart maximum-likelihood fit of a PEtab v1 problem.

    Parameters
    ----------
    problem : str or Path or PetabProblem
        Folder (with one YAML) or YAML file.
    starts : int
        Number of local fits.
    seed : int
        Seed of the start points.
    spread : float, optional
        Starts within nominal +/- ``spread`` on the parameter scale; default uniform within the bounds.
    max_jacobians : int
        Jacobian evaluations allowed per start (each is one batch of ``1 + 2 * n_dynamic`` simulations).
    progress : callable, optional
        Called as ``progress(done, total)`` after each start.
    """
    objective = problem if isinstance(problem, PetabObjective) else petab_objective(problem)
    X0 = start_points(objective, starts, seed, spread)
    n_sim = [0]
    cache: dict[bytes, tuple[np.ndarray, np.ndarray]] = {}

    def evaluate(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        key = np.asarray(x, float).tobytes()
        if key not in cache:
            cache.clear()
            cache[key] = objective.residuals_and_jacobian(x)
            n_sim[0] += 1 + 2 * len(objective.dynamic)
        return cache[key]

    rows, best = [], None
    nominal_nllh = float(objective.nllh(objective.nominal)[0])
    for k, x0 in enumerate(X0):
        nllh0 = float(objective.nllh(x0)[0])
        fit = least_squares(lambda x: evaluate(x)[0], x0, jac=lambda x: evaluate(x)[1],
                            bounds=(objective.lower, objective.upper), method="trf", x_scale="jac",
                            max_nfev=max_jacobians, xtol=1e-10, ftol=1e-12, gtol=1e-10)
        value = float(objective.nllh(fit.x)[0])
        rows.append({"start": k, "nllh_start": nllh0, "nllh": value, "n_jacobians": int(fit.njev or 0),
                     "status": int(fit.status), "message": str(fit.message),
                     **dict(zip(objective.parameter_ids, fit.x.tolist()))})
        if best is None or value < best[1]:
            best = (fit.x.copy(), value)
        if progress is not None:
            progress(k + 1, len(X0))
    table = pd.DataFrame(rows).sort_values("nllh", kind="stable").reset_index(drop=True)
    return PetabFit(objective.problem.name, objective.parameter_ids, objective.scales, best[0], best[1],
                    nominal_nllh, table, n_sim[0])


__all__ = ["PetabFit", "PetabObjective", "calibrate_petab", "petab_objective", "start_points"]
