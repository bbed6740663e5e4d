"""Bad input gets an error that names the field and the allowed values."""

from __future__ import annotations

import pytest

import jakstat
from jakstat.errors import GenotypeError, InvalidValueError, TableError, UnitError, UnknownNameError
from jakstat.network.culture import Culture


def test_unknown_cytokine_lists_known_names():
    with pytest.raises(UnknownNameError, match=r"unknown cytokine 'IL-66'; known: .*IL-6.*sIL-6R"):
        jakstat.simulate(cytokines={"IL-66": "1 nM"}, t_end="1 h")


def test_known_cytokine_without_receptor_in_the_network_says_so():
    with pytest.raises(UnknownNameError, match=r"IFN-gamma.*has no receptor in it yet.*known: IFN-alpha/beta, IL-6, sIL-6R"):
        jakstat.simulate(cytokines={"IFN-gamma": "1 nM"}, t_end="1 h")


def test_unknown_cell_lists_known_cells():
    with pytest.raises(UnknownNameError, match=r"unknown cell type 'neuron'; known: .*fibroblast"):
        jakstat.simulate(cell="neuron", t_end="1 h")


def test_mass_concentration_without_molecular_weight_asks_for_molar_units():
    with pytest.raises(InvalidValueError, match=r"no molecular weight for GM-CSF .* give a molar concentration"):
        jakstat.simulate(cell="monocyte", cytokines={"GM-CSF": "1 ng/mL"}, t_end="1 h")


def test_negative_concentration():
    with pytest.raises(InvalidValueError, match=r"cytokine IL-6: concentration must be >= 0, got -1"):
        jakstat.simulate(cytokines={"IL-6": "-1 ng/mL"}, t_end="1 h")


def test_wrong_unit_for_a_concentration():
    with pytest.raises(UnitError, match=r"cytokine IL-6: 5.0 mg has the wrong unit; expected a concentration .*ng/mL"):
        jakstat.simulate(cytokines={"IL-6": "5 mg"}, t_end="1 h")


def test_missing_unit():
    with pytest.raises(UnitError, match=r"cytokine IL-6: '5' has no unit"):
        jakstat.simulate(cytokines={"IL-6": "5"}, t_end="1 h")


def test_wrong_unit_for_time():
    with pytest.raises(UnitError, match=r"t_end: .* expected a time"):
        jakstat.simulate(t_end="48 nM")


@pytest.mark.parametrize("text", ["STAT4A635V/wt", "STAT4:A635V", "STAT9:A635V/wt", "STAT4:A999V/wt"])
def test_malformed_genotype(text):
    with pytest.raises(GenotypeError, match=r"GENE:ALLELE/ALLELE|known"):
        jakstat.simulate(genotype=text, t_end="1 h")


def test_variant_without_a_modelled_effect_lists_the_modelled_ones():
    with pytest.raises(GenotypeError, match=r"models no variant of STAT1; genes with variant pools: STAT4"):
        jakstat.simulate(genotype="STAT1:R274Q/wt", t_end="1 h")


def test_variant_without_an_effect_in_generated_networks_lists_the_modelled_ones():
    with pytest.raises(GenotypeError, match=r"STAT4_A635V has no modelled effect in the generated network; "
                                            r"modelled variants: STAT1_R274Q, STAT3_C426R, STAT3_E616del"):
        jakstat.simulate(cell="monocyte", genotype="STAT4:A635V/wt", t_end="1 h")



@pytest.mark.parametrize("drugs, match", [
    ({"ruxolitnib": "1 uM"}, r"unknown drug 'ruxolitnib'; known: .*ruxolitinib"),
    ({"ruxolitinib": "-1 uM"}, r"drugs\[ruxolitinib\]: concentration must be >= 0"),
    ({"ruxolitinib": "5 mg"}, r"drugs\[ruxolitinib\]"),
])
def test_bad_in_vitro_drug(drugs, match):
    with pytest.raises((InvalidValueError, UnitError, UnknownNameError), match=match):
        jakstat.simulate(t_end="1 h", drugs=drugs)


@pytest.mark.parametrize("antibodies, match", [
    ({"anti-IL-66": "10 ug/mL"}, r"unknown antibody for the fibroblast network 'anti-IL-66'; known: anti-IL-6, anti-IL-6R"),
    ({"anti-IL-6": "-2 nM"}, r"antibody anti-IL-6: concentration must be >= 0"),
    ({"anti-IL-6": "3 s"}, r"antibody anti-IL-6"),
])
def test_bad_antibody(antibodies, match):
    with pytest.raises((InvalidValueError, UnitError, UnknownNameError), match=match):
        jakstat.simulate(t_end="1 h", antibodies=antibodies)


def test_zero_cells():
    with pytest.raises(InvalidValueError, match=r"culture.n_cells must be a number > 0, got 0"):
        Culture(n_cells=0)


def test_malformed_table_row_names_file_row_column(tmp_path):
    from jakstat.data import table_path, validate_table_file

    lines = table_path("kinetics_il6_jak_stat").read_text().splitlines()
    lines[2] = lines[2].replace(",0.1,", ",fast,", 1)
    broken = tmp_path / "kinetics_il6_jak_stat.csv"
    broken.write_text("\n".join(lines) + "\n")
    with pytest.raises(TableError, match=r"kinetics_il6_jak_stat.csv, row 2, column 'value': bad value 'fast'"):
        validate_table_file(broken)
