"""Dose-response on the batched engine: the 4PL fit, the closed-form IC50 of a free-JAK readout, batch = single
runs, concentration parsing and the phospho-STAT readouts."""

from __future__ import annotations

import numpy as np
import pytest

import jakstat
from jakstat.errors import InvalidValueError, UnitError, UnknownNameError
from jakstat.network.model import Compartment, Network, Parameter, Species
from jakstat.network.motifs import rate_law
from jakstat.network.provenance import Assumed
from jakstat.studies.dose_readouts import AVOGADRO, make_readout, phospho_copies, readout_names
from jakstat.studies.dose_response import network_dose_response, parse_concentrations
from jakstat.studies.logistic import fit_logistic, four_parameter_logistic

REASON = Assumed("test network: a readout made proportional to the free JAK fractions, for closed forms")
KSYN, KDEG = 2.0, 1e-3  # nM/s, 1/s


def free_jak_network() -> Network:
    """X made at kx x S x free_JAK1 (KSYN nM/s at S = 1 nM), Y at KSYN x free_JAK1 x free_TYK2, both degraded at KDEG; X(0) = Y(0) = 0;
    S (a constant stimulus, 1 nM) stands for an added cytokine."""
    jaks = ("JAK1", "JAK2", "JAK3", "TYK2")
    return Network(
        name="free_jak_toy",
        compartments=(Compartment("cell", 1.0, "L", REASON),),
        species=(Species("X", "cell", 0.0, REASON), Species("Y", "cell", 0.0, REASON), Species("S", "cell", 1.0, REASON)),
        parameters=(Parameter("ksyn", KSYN, "nM/s", REASON), Parameter("kdeg", KDEG, "1/s", REASON),
                    Parameter("kx", KSYN, "1/s", REASON),  # with S = 1 nM, X is made at KSYN
                    *(Parameter(f"free_{j}", 1.0, "dimensionless", REASON) for j in jaks)),
        reactions=(rate_law("make_x", "-> X", "kx * S * free_JAK1 * cell"),
                   rate_law("lose_x", "X ->", "kdeg * X * cell"),
                   rate_law("make_y", "-> Y", "ksyn * free_JAK1 * free_TYK2 * cell"),
                   rate_law("lose_y", "Y ->", "kdeg * Y * cell")),
    )


def test_fit_recovers_a_known_logistic():
    c = np.geomspace(0.1, 1e4, 15)
    y = four_parameter_logistic(c, 0.05, 0.9, 37.0, 1.7)
    fit = fit_logistic(c, y)
    assert fit.ic50_nm == pytest.approx(37.0, rel=1e-6) and fit.hill == pytest.approx(1.7, rel=1e-6)
    assert (fit.bottom, fit.top) == pytest.approx((0.05, 0.9), abs=1e-7) and fit.within_range and not fit.message
    # the closed form at the IC50 is the midpoint (an independent check of the parametrisation)
    assert four_parameter_logistic(np.array([37.0]), 0.05, 0.9, 37.0, 1.7)[0] == pytest.approx(0.475)


def test_fit_says_when_the_response_is_flat_or_the_ic50_is_outside_the_range():
    c = np.geomspace(1, 100, 6)
    assert "no IC50" in fit_logistic(c, np.full(6, 0.3)).message
    far = fit_logistic(c, four_parameter_logistic(c, 0.0, 1.0, 1e4, 1.0))
    assert not far.within_range and "outside the tested concentrations" in far.message
    with pytest.raises(InvalidValueError, match="at least 4"):
        fit_logistic([1, 2, 3], [0.1, 0.2, 0.3])


def test_free_jak_readout_gives_the_closed_form_ic50():
    """Inhibition of a readout proportional to free JAK1 is the occupancy c / (c + Ki s): IC50 = Ki s, Hill 1."""
    from jakstat.pharmacology.inhibition import cell_shift, enzyme_potencies

    drug, t = "ruxolitinib", 1800.0
    k_app = {j: p.ki_nm * cell_shift(drug)[0] for j, p in enzyme_potencies(drug).items()}
    net = free_jak_network()
    conc = np.geomspace(k_app["JAK1"] / 100, k_app["JAK1"] * 100, 13)
    plateau = KSYN / KDEG * (1 - np.exp(-KDEG * t))  # X(t) from X(0) = 0 with free_JAK1 = 1, nM
    for species, jaks in (("X", ("JAK1",)), ("Y", ("JAK1", "TYK2"))):
        readout = make_readout(net, f"species:{species}", n_cells=1.0)
        values, control, background = network_dose_response(net, drug, conc, readout, t, rtol=1e-10, atol=1e-14)
        free = np.prod([k_app[j] / (k_app[j] + conc) for j in jaks], axis=0)
        assert control == pytest.approx(plateau, rel=1e-8) and background == 0.0
        np.testing.assert_allclose(values, plateau * free, rtol=1e-8)
    x = make_readout(net, "species:X", n_cells=1.0)
    values, control, background = network_dose_response(net, drug, conc, x, t, background_zero=("S",), rtol=1e-10,
                                                        atol=1e-14)
    assert background == 0.0 and control == pytest.approx(plateau, rel=1e-8)  # no stimulus, no X
    fit = fit_logistic(conc, 1 - values / control)
    assert fit.ic50_nm == pytest.approx(k_app["JAK1"], rel=1e-6) and fit.hill == pytest.approx(1.0, rel=1e-6)
    assert (fit.bottom, fit.top) == pytest.approx((0.0, 1.0), abs=1e-6)


@pytest.mark.slow
def test_batched_dose_response_matches_single_runs():
    """Members of the batched dose-response against jakstat.simulate(drugs=...) (SciPy BDF, a separate path)."""
    cytokines = {"IL-6": "10 ng/mL"}
    table = jakstat.dose_response("ruxolitinib", "fibroblast", "wt", cytokines, "3nM:3uM:4", "pSTAT3", "30 min",
                                  rtol=1e-10, atol=1e-14)
    assert list(table["concentration_nM"]) == pytest.approx([0.0, 3.0, 30.0, 300.0, 3000.0])
    ds0 = jakstat.simulate(cytokines=cytokines, t_end="30 min", n_points=2, rtol=1e-10, atol=1e-14)
    net = jakstat.prepare_network(jakstat.Scenario(cytokines=tuple(cytokines.items())))
    readout = make_readout(net, "pSTAT3", 1e5)
    last = lambda ds: np.array([float(ds[s.id].values[-1]) for s in net.species])  # noqa: E731
    assert table["value"].iloc[0] == pytest.approx(float(readout.value(last(ds0))), rel=1e-8)
    for row in (2, 4):
        c = float(table["concentration_nM"].iloc[row])
        ds = jakstat.simulate(cytokines=cytokines, drugs={"ruxolitinib": f"{c!r} nM"}, t_end="30 min", n_points=2,
                              rtol=1e-10, atol=1e-14)
        assert table["value"].iloc[row] == pytest.approx(float(readout.value(last(ds))), rel=1e-8)
    unstimulated = jakstat.simulate(t_end="30 min", n_points=2, rtol=1e-10, atol=1e-14)
    assert table.attrs["background"] == pytest.approx(float(readout.value(last(unstimulated))), rel=1e-8)
    # the drug moves the readout (the comparison is not vacuous) and the fit sees it
    inh = table["inhibition"].to_numpy()
    # (3 nM blocks 26% under whole_blood_cell_shift_v3, whose factor is about half of v2's)
    assert inh[1] < 0.3 and 0.8 < inh[-1] and np.all(np.diff(inh) > 0)
    fit = table.attrs["fit"]
    assert 3.0 < fit["ic50_nm"] < 3000.0 and fit["within_range"]


def test_concentration_ranges():
    np.testing.assert_allclose(parse_concentrations("1nM:10uM:5"), [1, 10, 100, 1000, 10000], rtol=1e-12)
    np.testing.assert_allclose(parse_concentrations("100 nM, 1 nM,10nM"), [1, 10, 100])
    np.testing.assert_allclose(parse_concentrations([0.5, 5.0]), [0.5, 5.0])
    for bad, message in [("1nM:10uM", "START:STOP:N"), ("-1nM:10uM:12", "must be > 0"),
                         ("1uM:1nM:4", "STOP must be above START"), ("1nM:1uM:1", "N must be 2-1000"),
                         ("1nM:1uM:x", "whole number"), ("0nM,1nM", "must be > 0"), ("1nM,1nM", "distinct")]:
        with pytest.raises(InvalidValueError, match=message):
            parse_concentrations(bad, "--conc")
    with pytest.raises(UnitError, match=r"--conc start: .* expected a concentration"):
        parse_concentrations("1ng/mL:1ug/mL:4", "--conc")


def test_phospho_readouts_count_each_phosphorylated_copy():
    from jakstat.network.builders import build_cell_network

    net = build_cell_network("fibroblast", "STAT4:A635V/wt")
    assert readout_names(net) == ("pSTAT3", "nuclear_pSTAT3", "pSTAT4", "nuclear_pSTAT4")
    expected = {"pSTAT3_dimer_nuc": 2, "STAT3_pSTAT3_cyt": 1, "Rc_act_pSTAT3": 1, "Rc_act_STAT3": 0, "STAT3_cyt": 0,
                "PP2_pSTAT3_nuc": 1}
    assert {s: phospho_copies(net, s, "STAT3") for s in expected} == expected
    assert phospho_copies(net, "pSTAT4_pSTAT4v_dimer_nuc", "STAT4") == 2  # the variant protein counts as STAT4
    assert phospho_copies(net, "IFNalpha_beta_R_act_STAT4v", "STAT4") == 0
    nuclear = make_readout(net, "nuclear_pSTAT3", 1e5)
    i = net.species_ids.index("pSTAT3_dimer_nuc")
    assert nuclear.weights[i] == pytest.approx(2 * 5e-8 * 1e-9 * AVOGADRO / 1e5)  # 2 copies x 0.5 pL per cell
    assert nuclear.weights[net.species_ids.index("pSTAT3_cyt")] == 0.0
    with pytest.raises(UnknownNameError, match="known: nuclear_pSTAT3, nuclear_pSTAT4, pSTAT3, pSTAT4"):
        make_readout(net, "pSTAT1", 1e5)
    with pytest.raises(UnknownNameError, match="'nope'"):
        make_readout(net, "species:nope", 1e5)


def test_isgf3_counts_as_phosphorylated_stat1_and_stat2():
    from jakstat.network.builders import build_cell_network

    net = build_cell_network("cd4_t_cell")
    assert phospho_copies(net, "ISGF3_nuc", "STAT1") == 1 and phospho_copies(net, "ISGF3_nuc", "STAT2") == 1
    assert phospho_copies(net, "IL6_R_IL6_act_STAT3", "STAT3") == 0
