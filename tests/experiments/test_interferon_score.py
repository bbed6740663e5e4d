"""The interferon score: Rice 2017 arithmetic against hand-computed values, the blood ISG network's
per-gene kinetics against its table, the steady-state curve against direct steady states, the
virtual controls, and the assay protocol's bad inputs."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from jakstat.errors import InvalidValueError, UnknownNameError
from jakstat.experiments import make_protocol
from jakstat.experiments.interferon_score import (
    fold_changes,
    interferon_score,
    lognormal_from_quartiles,
    positivity_threshold,
    serum_nm,
    steady_state_curve,
    virtual_controls,
)
from jakstat.experiments.ifn_score_assay import IfnScoreProtocol
from jakstat.experiments.protocol import ProtocolInputError
from jakstat.network.isg_blood import LIGAND_SPECIES, SCORE_GENES, blood_isg_network

GENES = list(SCORE_GENES)


def test_score_is_median_of_folds_vs_control_median():
    # controls: per gene the median is the middle of three values
    controls = pd.DataFrame({g: [1.0 * (k + 1), 2.0 * (k + 1), 4.0 * (k + 1)] for k, g in enumerate(GENES)})
    # patient folds by hand: gene k's control median is 2 (k + 1); chosen folds 1, 2, 3, 10, 20, 30
    folds = [1.0, 2.0, 3.0, 10.0, 20.0, 30.0]
    patient = pd.DataFrame({g: [f * 2.0 * (k + 1)] for k, (g, f) in enumerate(zip(GENES, folds))})
    assert fold_changes(patient, controls).iloc[0].tolist() == pytest.approx(folds)
    assert interferon_score(patient, controls).iloc[0] == pytest.approx(6.5)  # (3 + 10) / 2: median of six


def test_score_does_not_depend_on_the_qpcr_calibrator():
    # RQ = 2^-(dCt - dCt_calibrator): a different calibrator sample multiplies each gene by a constant
    rng = np.random.default_rng(1)
    dct = pd.DataFrame(rng.normal(8.0, 1.0, (30, 6)), columns=GENES)
    rq_a = 2.0 ** -(dct - dct.iloc[24])  # calibrator: control C25, as in Rice 2017
    rq_b = 2.0 ** -(dct - dct.iloc[3])
    controls_a, controls_b = rq_a.iloc[:29], rq_b.iloc[:29]
    assert interferon_score(rq_a.iloc[29:], controls_a).iloc[0] == pytest.approx(
        interferon_score(rq_b.iloc[29:], controls_b).iloc[0], rel=1e-12)


def test_threshold_is_mean_plus_two_sample_sd():
    # scores 1, 1, 1, 1, 3: mean 1.4, sample SD sqrt(3.2 / 4) = 0.8944 -> 3.1889
    assert positivity_threshold([1, 1, 1, 1, 3]) == pytest.approx(1.4 + 2 * math.sqrt(0.8))
    with pytest.raises(InvalidValueError, match="at least 2"):
        positivity_threshold([1.0])


def test_bad_expression_inputs():
    controls = pd.DataFrame({g: [1.0, 2.0] for g in GENES})
    with pytest.raises(InvalidValueError, match="no expression for"):
        fold_changes(pd.DataFrame({"MX1": [1.0]}), controls)
    with pytest.raises(InvalidValueError, match=">= 0"):
        fold_changes(pd.DataFrame({g: [-1.0] for g in GENES}), controls)
    with pytest.raises(InvalidValueError, match="median expression must be > 0"):
        fold_changes(controls, controls * 0.0)


def test_lognormal_sigma_from_quartiles():
    sigma = 0.8
    q1, q3 = math.exp(-0.6744897501960817 * sigma), math.exp(0.6744897501960817 * sigma)
    assert lognormal_from_quartiles(1.0, q1, q3) == pytest.approx(sigma)
    with pytest.raises(InvalidValueError):
        lognormal_from_quartiles(1.0, 2.0, 3.0)


def test_serum_conversion_uses_ifn_alpha2a_mass():
    # 1 pg/mL = 1e-9 g/L / 19241.1 g/mol = 5.197e-14 M = 5.197e-5 nM
    assert float(serum_nm(1.0)) == pytest.approx(1e-9 / 19241.1 * 1e9, rel=1e-6)


def test_per_gene_kinetics_come_from_the_table():
    net = blood_isg_network("monocyte")
    # IFI27: half-life 8 h, basal 0.1 x 1e-5 nM/s (isg_score_genes.csv)
    assert net["k_mRNA_deg_IFI27"].value == pytest.approx(math.log(2) / (8 * 3600))
    assert net["k_tx_basal_IFI27"].value == pytest.approx(1e-6)
    assert net["k_tx_max_SIGLEC1"].value == pytest.approx(0.005)
    assert "isg_score_genes.csv" in net["k_tx_basal_IFI27"].provenance.describe()
    assert net[LIGAND_SPECIES].boundary
    # genes outside the table keep the shared constants
    assert "k_mRNA_deg_SOCS1" not in {p.id for p in net.parameters}


def test_unknown_per_gene_parameter_is_refused():
    from jakstat.network.genes import add_gene_expression
    from jakstat.network.pathways import pathway_definition

    with pytest.raises(UnknownNameError, match="k_tx_max"):
        add_gene_expression(pathway_definition(("IFN-alpha/beta",)), gene_kinetics={"IFI27": {"k_foo": {}}})


def test_steady_state_without_ifn_is_the_closed_form():
    # no IFN: cytoplasmic mRNA = basal x (V_nucleus / V_cytoplasm) / k_deg (transcribed in the nucleus,
    # counted in the cytoplasm; no ISGF3); the curve's lowest level must be that
    curve = steady_state_curve("monocyte")
    net = blood_isg_network("monocyte")
    ratio = net.compartment_of("ISGF3_nuc").size / net.compartment_of("IFI27_mRNA").size
    assert ratio == pytest.approx(0.25)  # 0.5 pL nucleus / 2 pL cytoplasm per cell
    for gene in SCORE_GENES:
        closed = net[f"k_tx_basal_{gene}"].value * ratio / net[f"k_mRNA_deg_{gene}"].value
        assert curve.mrna_nm[gene][0] == pytest.approx(closed, rel=2e-3), gene


def test_curve_interpolation_matches_direct_steady_states():
    from jakstat.compile.codegen import compile_network
    from jakstat.engine.integrate import SolverOptions
    from jakstat.engine.steady_state import steady_state

    curve = steady_state_curve("monocyte")
    model = compile_network(blood_isg_network("monocyte"))
    ids = list(model.species_ids)
    for level in (3.3e-6, 4.1e-5):  # between grid points, on the steep part of the response
        y0 = np.array(model.y0, dtype=float)
        y0[ids.index(LIGAND_SPECIES)] = level
        y = steady_state(model, y0=y0, rel=1e-9, options=SolverOptions(method="BDF", rtol=1e-10, atol=1e-14))
        for gene in ("IFI27", "ISG15"):
            assert float(curve.at(gene, level)) == pytest.approx(y[ids.index(f"{gene}_mRNA")], rel=2e-2), (gene, level)


def test_virtual_controls_are_seeded():
    a = virtual_controls(29, seed=5)
    b = virtual_controls(29, seed=5)
    c = virtual_controls(29, seed=6)
    pd.testing.assert_frame_equal(a, b)
    assert not np.allclose(a["IFI27"], c["IFI27"])
    assert list(a.columns) == ["serum_ifn_pg_ml", *GENES]
    # serum IFN-alpha: log-normal around the healthy median 0.02 pg/mL (ifn_score_inputs.csv)
    big = virtual_controls(4000, seed=1)
    assert big["serum_ifn_pg_ml"].median() == pytest.approx(0.02, rel=0.1)
    with pytest.raises(InvalidValueError, match="n_controls"):
        virtual_controls(1)


@pytest.mark.parametrize("fields, where", [
    ({"serum_ifn": "-1 pg/mL"}, "serum_ifn"),
    ({"serum_ifn": "3 kg"}, "serum_ifn"),
    ({"oral_drug": {"baricitnib": "4 mg"}}, "oral_drug"),
    ({"oral_drug": {"baricitinib": "4 mg"}, "regimen": "QQ"}, "oral_drug"),
    ({"cell": "fibroblast"}, "cell"),
    ({"n_controls": 1}, "n_controls"),
    ({"times_h": [-1.0]}, "times_h"),
    ({"readouts": ["CXCL10"]}, "readouts"),
])
def test_bad_protocol_input_names_the_field(fields, where):
    with pytest.raises(ProtocolInputError) as info:
        make_protocol(IfnScoreProtocol, **fields)
    assert where in str(info.value)
