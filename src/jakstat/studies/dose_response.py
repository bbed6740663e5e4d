"""Dose-response: a readout at one time for a range of drug concentrations, and its fitted IC50.

Two flavours, both on the batched engine (:func:`jakstat.engine.batch.simulate_batch`), one batch member
per concentration:

``assay="culture"`` (default)
    Cells in culture (:func:`jakstat.simulate`'s scenario): fresh medium at t = 0 with the cytokines and
    the drug at a fixed concentration, taken as unbound (:mod:`jakstat.pharmacology.in_vitro`: each JAK's
    free fraction $1 - \\theta_j$, $\\theta_j = c / (c + K_{app,j})$). The network is prepared once
    (:func:`jakstat.api.prepare_network` without the drug: pre-equilibrated, fresh medium, cytokines);
    members differ only in their ``free_JAKn`` parameters, so member $k$ is exactly the single run
    ``jakstat.simulate(..., drugs={drug: c_k})``. Two reference members run with them: the stimulated
    control (no drug) and, when cytokines are given, the unstimulated background (no cytokine, no drug).
    Inhibition is $1 - (v - v_\\text{bg}) / (v_\\text{ctrl} - v_\\text{bg})$ (without cytokines
    $v_\\text{bg} = 0$).
``assay="whole-blood"``
    The whole-blood pSTAT assay of :mod:`jakstat.pharmacology.whole_blood` (blood spiked with the drug at a
    *total* concentration, unbound fraction applied, stimulated ex vivo with one cytokine for ``time``):
    :func:`~jakstat.pharmacology.whole_blood.stimulate` is called as it is; its value is % inhibition.

The result is a tidy table (one row per concentration, the control as concentration 0) with the
four-parameter logistic fit (:mod:`jakstat.studies.logistic`) in ``attrs["fit"]``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pandas as pd

from jakstat.errors import InvalidValueError, UnknownNameError
from jakstat.network.culture import Culture
from jakstat.studies.dose_readouts import Readout, make_readout
from jakstat.studies.logistic import fit_logistic
from jakstat.units import parse_quantity

ASSAY_KINDS = ("culture", "whole-blood")
MAX_CONCENTRATIONS = 1000
TABLE_COLUMNS = ("drug", "concentration_nM", "readout", "value", "unit", "inhibition", "assay", "cell", "genotype",
                 "cytokine", "time_min", "concentration_basis")
"""Columns of a dose-response table, in order."""


def parse_concentrations(spec: str | Sequence[str] | np.ndarray, field: str = "concentrations") -> np.ndarray:
    """Concentrations in nM, increasing, all > 0.

    ``spec`` is ``"START:STOP:N"`` (``N`` log-spaced points from START to STOP inclusive, e.g.
    ``"1nM:10uM:12"``), a comma-separated list (``"1nM,10nM,100nM"``), a sequence of such strings, or an
    array of numbers in nM. The drug-free control is always added; do not list 0.
    """
    if isinstance(spec, str) and ":" in spec:
        parts = spec.split(":")
        if len(parts) != 3:
            raise InvalidValueError(f"{field}: {spec!r} is not a range; give START:STOP:N, e.g. 1nM:10uM:12")
        start, stop = (_molar(p, f"{field} {which}") for p, which in zip(parts[:2], ("start", "stop")))
        try:
            n = int(parts[2].strip())
        except ValueError:
            raise InvalidValueError(f"{field}: N in {spec!r} must be a whole number of points (2-"
                                    f"{MAX_CONCENTRATIONS}), e.g. 1nM:10uM:12") from None
        if not 2 <= n <= MAX_CONCENTRATIONS:
            raise InvalidValueError(f"{field}: N must be 2-{MAX_CONCENTRATIONS} points; got {n} in {spec!r}")
        if not stop > start:
            raise InvalidValueError(f"{field}: STOP must be above START; got {spec!r}")
        return np.geomspace(start, stop, n)
    if isinstance(spec, str):
        items: list = [p for p in spec.split(",") if p.strip()]
    else:
        items = list(np.atleast_1d(spec))
    if not items:
        raise InvalidValueError(f"{field}: give START:STOP:N or a list of concentrations, e.g. 1nM:10uM:12")
    values = np.array([_molar(v, field) if isinstance(v, str) else _positive(float(v), f"{v!r} nM", field)
                       for v in items])
    if np.unique(values).size != values.size:
        raise InvalidValueError(f"{field}: concentrations must be distinct; got {list(items)}")
    if values.size > MAX_CONCENTRATIONS:
        raise InvalidValueError(f"{field}: at most {MAX_CONCENTRATIONS} concentrations; got {values.size}")
    return np.sort(values)


def _molar(text: str, field: str) -> float:
    quantity = parse_quantity(text.strip(), field, "concentration")
    return _positive(float(quantity.to("nM").magnitude), text.strip(), field)


def _positive(value: float, text: str, field: str) -> float:
    if not (np.isfinite(value) and value > 0):
        raise InvalidValueError(f"{field}: concentration must be > 0 (the drug-free control is added "
                                f"by itself); got {text}")
    return value


def readout_time_s(time: str | float, field: str = "time") -> float:
    """``"30 min"`` -> 1800.0 s; must be > 0."""
    if isinstance(time, str):
        seconds = float(parse_quantity(time, field, "time").to("s").magnitude)
    else:
        raise InvalidValueError(f"{field}: give a time with a unit, e.g. '30 min'; got {time!r}")
    if not seconds > 0:
        raise InvalidValueError(f"{field}: must be > 0; got {time!r}")
    return seconds


def free_parameter_rows(model, drug: str, concentrations_nm: np.ndarray) -> np.ndarray:
    """Parameter vectors of ``model`` (one row per concentration) with the drug's free JAK fractions set.

    The fractions are those of :func:`jakstat.pharmacology.in_vitro.free_jak_fractions` (the same call
    :func:`jakstat.api.prepare_network` makes for a single run).
    """
    from jakstat.pharmacology.in_vitro import free_jak_fractions

    ids = list(model.parameter_ids)
    rows = np.tile(np.asarray(model.p0, dtype=float), (len(concentrations_nm), 1))
    for k, c in enumerate(concentrations_nm):
        free = free_jak_fractions([(drug, f"{float(c)!r} nM")])
        present = {pid: value for pid, (value, _) in free.items() if pid in ids}
        if not present:
            raise InvalidValueError(f"drug: network {model.network.name} has no free_JAKn parameter, so JAK "
                                    "inhibitors cannot act on it")
        for pid, value in present.items():
            rows[k, ids.index(pid)] = value
    return rows


def network_dose_response(net, drug: str, concentrations_nm: np.ndarray, readout: Readout, time_s: float, *,
                          background_zero: Sequence[str] = (), rtol: float = 1e-8, atol: float = 1e-12,
                          n_threads: int | None = None,
                          progress: Callable[[str], None] | None = None) -> tuple[np.ndarray, float, float]:
    """Readout at ``time_s`` for each concentration, on one batched run of ``net``.

    Parameters
    ----------
    net : Network
        The prepared network (initial state = the state at the medium change; drug-free parameters).
    drug : str
        A small-molecule JAK inhibitor.
    concentrations_nm : array
        Unbound concentrations, nM.
    readout : Readout
    time_s : float
        Readout time, s after the medium change.
    background_zero : sequence of str
        Species (the added cytokines) set to 0 in the initial state of an unstimulated background member; no
        background member when empty.
    rtol, atol : float
        Tolerances of the batched engine (atol in nM).

    Returns
    -------
    (values, control, background)
        Readout per concentration, without drug, and of the background (0 when none), in ``readout.unit``.
    """
    from jakstat.compile.codegen import compile_network
    from jakstat.engine.batch import batch_solver, simulate_batch

    say = progress or (lambda label: None)
    model = compile_network(net)
    say("compiling the network for the batched engine (tens of seconds the first time)")
    solver = batch_solver(model)
    conc = np.asarray(concentrations_nm, dtype=float)
    params = np.vstack([model.p0[None, :], free_parameter_rows(model, drug, conc)])
    y0 = np.tile(model.y0, (params.shape[0], 1))
    if background_zero:
        unstimulated = np.array(model.y0, dtype=float)
        unstimulated[[model.species_index(s) for s in background_zero]] = 0.0
        params = np.vstack([model.p0[None, :], params])
        y0 = np.vstack([unstimulated[None, :], y0])
    say(f"simulating {params.shape[0]} batch members")
    result = simulate_batch(solver, np.array([0.0, float(time_s)]), params, y0, rtol=rtol, atol=atol,
                            n_threads=n_threads)
    if result.n_failed:
        from jakstat.errors import SimulationError

        raise SimulationError("; ".join(m for m in result.messages if m))
    values = readout.value(result.states[:, -1, :])
    offset = 1 if background_zero else 0
    background = float(values[0]) if offset else 0.0
    return values[offset + 1:], float(values[offset]), background


def dose_response(drug: str, cell: str = "fibroblast", genotype: str = "wt",
                  cytokines: Mapping[str, str] | None = None,
                  concentrations: str | Sequence[str] | np.ndarray = "1 nM:10 uM:12", readout: str = "pSTAT3",
                  time: str = "30 min", *, assay: str = "culture", culture: Culture = Culture(),
                  rtol: float = 1e-8, atol: float = 1e-12, n_threads: int | None = None,
                  progress: Callable[[str], None] | None = None) -> pd.DataFrame:
    """Readout against drug concentration at one time, with a fitted four-parameter logistic.

    Parameters
    ----------
    drug : str
        Drug (``jakstat kb drugs``); culture: a small-molecule JAK inhibitor.
    cell : str
        Cell type; whole blood: one with a generated network (cd4_t_cell, monocyte, hepatocyte).
    genotype : str
        ``"wt"`` or ``"GENE:ALLELE/ALLELE"`` (culture only).
    cytokines : mapping
        Cytokine -> concentration in the fresh medium (``{"IL-6": "10 ng/mL"}``); whole blood: exactly one,
        the ex-vivo stimulus.
    concentrations : str, sequence or array
        ``"1nM:10uM:12"`` (log-spaced), a list, or numbers in nM (:func:`parse_concentrations`).
        Culture: unbound; whole blood: total blood concentration.
    readout : str
        ``pSTAT3``, ``nuclear_pSTAT3``, ... or ``species:ID`` (:mod:`jakstat.studies.dose_readouts`);
        whole blood: ``pSTATn``.
    time : str
        Readout time after the medium change / stimulation, with a unit (``"30 min"``).
    assay : str
        ``"culture"`` or ``"whole-blood"``.
    culture : Culture
        Cells and medium of the well (culture only).
    rtol, atol : float
        Tolerances of the batched engine (atol in nM; culture only).
    progress : callable, optional
        Called with a label as each stage starts.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`TABLE_COLUMNS`: one row for the drug-free control (``concentration_nM`` 0) and one
        per concentration; ``value`` in ``unit``; ``inhibition`` as a fraction (0 none, 1 complete).
        ``attrs["fit"]``: the :class:`~jakstat.studies.logistic.LogisticFit` as a dict (``ic50_nm``, ``hill``,
        ``bottom``, ``top``, ``rmse``, ``within_range``, ``message``); ``attrs["control"]``,
        ``attrs["background"]``: the reference readouts (culture).

    Examples
    --------
    >>> table = dose_response("ruxolitinib", cytokines={"IL-6": "10 ng/mL"}, concentrations="1nM:10uM:12",
    ...                       readout="pSTAT3", time="30 min")  # doctest: +SKIP
    >>> table.attrs["fit"]["ic50_nm"]  # doctest: +SKIP
    """
    from jakstat.knowledge import get_drug

    if assay not in ASSAY_KINDS:
        raise UnknownNameError("dose-response assay", assay, ASSAY_KINDS)
    say = progress or (lambda label: None)
    record = get_drug(drug)  # UnknownNameError lists the known drugs
    conc = parse_concentrations(concentrations)
    seconds = readout_time_s(time)
    items = tuple((cytokines or {}).items())
    if assay == "whole-blood":
        values, unit, inhibition, control, background = _whole_blood(record.name, cell, genotype, items, conc,
                                                                     readout, seconds, say)
        basis, readout_name = "total in blood", readout
    else:
        values, unit, inhibition, control, background, readout_name = _culture(
            record, cell, genotype, items, conc, readout, seconds, culture, rtol, atol, n_threads, say)
        basis = "unbound in medium"
    say("fitting the four-parameter logistic")
    fit = fit_logistic(conc, inhibition)
    context = {"assay": assay, "cell": cell, "genotype": genotype,
               "cytokine": " + ".join(f"{k}={v}" for k, v in items) or "none", "time_min": seconds / 60.0,
               "concentration_basis": basis}
    rows = [{"drug": record.name, "concentration_nM": 0.0, "readout": readout_name, "value": control, "unit": unit,
             "inhibition": 0.0, **context}]
    rows += [{"drug": record.name, "concentration_nM": float(c), "readout": readout_name, "value": float(v),
              "unit": unit, "inhibition": float(i), **context} for c, v, i in zip(conc, values, inhibition)]
    table = pd.DataFrame(rows, columns=list(TABLE_COLUMNS))
    table.attrs.update({"fit": fit.to_dict(), "control": control, "background": background,
                        "inhibition": "1 - (value - background) / (control - background)" if assay == "culture"
                        else "whole-blood % inhibition / 100"})
    return table


def _culture(record, cell, genotype, items, conc, readout, seconds, culture, rtol, atol, n_threads, say):
    from jakstat.api import Scenario, prepare_network
    from jakstat.network.builders import ligand_concentration_nm

    if record.kind == "biologic":
        raise InvalidValueError(f"drug: {record.name} is a biologic; a culture dose-response takes a small-molecule "
                                "JAK inhibitor (biologics: assay='whole-blood')")
    say("building and pre-equilibrating the network")
    net = prepare_network(Scenario(cell=cell, genotype=genotype, cytokines=items, culture=culture))
    chosen = make_readout(net, readout, culture.n_cells)
    ligand_ids = sorted({ligand_concentration_nm(cell, name, amount)[1] for name, amount in items})
    values, control, background = network_dose_response(net, record.name, conc, chosen, seconds,
                                                        background_zero=ligand_ids, rtol=rtol, atol=atol,
                                                        n_threads=n_threads, progress=say)
    signal = control - background
    if not abs(signal) > 1e-12 * max(abs(control), abs(background), 1e-300):
        raise InvalidValueError(f"readout: {chosen.name} does not respond to the stimulus ({control:.6g} "
                                f"{chosen.unit} with and without it at {seconds / 60:g} min), so inhibition is "
                                "undefined; choose another readout, time or cytokine")
    inhibition = 1.0 - (values - background) / signal
    return values, chosen.unit, inhibition, control, background, chosen.name


def _whole_blood(drug, cell, genotype, items, conc, readout, seconds, say):
    from jakstat.network.builders import ligand_concentration_nm
    from jakstat.pharmacology.whole_blood import WholeBloodProtocol, get_cell_name, stimulate

    if genotype.strip().lower() != "wt":
        raise InvalidValueError(f"genotype: the whole-blood assay models wild-type cells only; got {genotype!r}")
    if len(items) != 1:
        raise InvalidValueError("cytokines: the whole-blood assay takes exactly one stimulating cytokine, e.g. "
                                f"IL-6=1nM; got {len(items)}")
    cell = get_cell_name(cell)
    name, amount = items[0]
    _, _, stimulus_nm = ligand_concentration_nm(cell, name, amount)
    from jakstat.knowledge.molecules import STAT_NAMES

    allowed = [f"p{stat}" for stat in STAT_NAMES]
    if readout not in allowed:
        raise UnknownNameError("whole-blood readout", readout, allowed)
    say("compiling the whole-blood network and simulating (about a minute the first time)")
    protocol = WholeBloodProtocol(stimulation_min=seconds / 60.0, stimulus_nm=stimulus_nm)
    percent = stimulate(drug, cell, [name], conc, protocol, stat=readout[1:])[0]
    if not np.all(np.isfinite(percent)):
        raise InvalidValueError(f"readout: {readout} is not made in {cell} stimulated with {name} (no signal to "
                                "inhibit); choose the cytokine's own STAT")
    return percent, "%", percent / 100.0, 0.0, 0.0


__all__ = ["ASSAY_KINDS", "TABLE_COLUMNS", "dose_response", "free_parameter_rows", "network_dose_response",
           "parse_concentrations", "readout_time_s"]
