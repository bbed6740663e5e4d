"""The interferon-score assay: a patient's 6-ISG score in blood over days, untreated or on an oral JAK inhibitor.

The protocol names the patient's serum IFN-alpha (held constant), the oral drug (name, dose, regimen,
body weight: :mod:`jakstat.pharmacology`, pediatric scaling included), the blood cell type the ISGs
are read in and the virtual control group (size, seed). Readouts at ``times_h`` (h after the first
dose): ``interferon_score`` (fold; :mod:`jakstat.experiments.interferon_score`), each gene's
``<GENE> fold change`` vs the control median, ``pSTAT1`` (% of the pre-treatment level) and
``positive`` (1 if the score is above the cut-off, else 0). The cut-off is the published 2.466
(target_jdm_ifn.csv JDM02), which the virtual controls reproduce on average (calibration
``ifn_score_blood``); the virtual group's own mean + 2 SD is in ``data["group_threshold"]``.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from pydantic import field_validator, model_validator

from jakstat.data import table_row
from jakstat.experiments.protocol import Conditions, Protocol
from jakstat.experiments.tidy import AssayResult, concat_tidy, tidy_table, validate_tidy
from jakstat.network.isg_blood import BLOOD_CELLS, SCORE_GENES
from jakstat.units import check_dimension, parse_quantity

ASSAY = "ifn-score"


def published_cutoff() -> float:
    """The positivity cut-off of Rice 2017, 2.466 (target_jdm_ifn.csv JDM02)."""
    return float(table_row("target_jdm_ifn", finding_id="JDM02")["on_treatment"])


class IfnScoreProtocol(Protocol):
    """Interferon score of a patient in blood (times default 0 h, 1, 3, 7 and 14 days after the first dose).

    Attributes
    ----------
    serum_ifn : str
        Serum IFN-alpha with a mass or molar concentration unit, held constant (default ``"0.23 pg/mL"``,
        the upper quartile of dermatomyositis in ifn_score_inputs.csv).
    oral_drug : dict of str to str
        ``{NAME: DOSE}`` of one oral JAK inhibitor (``{"baricitinib": "4 mg"}``; mg or mg/kg); empty: untreated.
    regimen : str
        QD, BID, TID or XR (``jakstat pk``).
    weight : str
        Body weight with unit (``"30 kg"``; pediatric scaling of the PK).
    cell : str
        ``monocyte`` or ``cd4_t_cell``.
    n_controls : int
        Virtual healthy controls (>= 2; default 29 as in Rice 2017).
    seed : int
        Seed of the virtual controls.
    """

    ASSAY: ClassVar[str] = ASSAY
    KNOWN_READOUTS: ClassVar[tuple[str, ...]] = ("interferon_score", "gene_fold_change", "pSTAT1", "positive")
    DEFAULT_TIMES_H: ClassVar[tuple[float, ...]] = (0.0, 24.0, 72.0, 168.0, 336.0)

    serum_ifn: str = "0.23 pg/mL"
    oral_drug: dict[str, str] = {}
    regimen: str = "BID"
    weight: str = "30 kg"
    cell: str = "monocyte"
    n_controls: int = 29
    seed: int = 2017

    @field_validator("serum_ifn")
    @classmethod
    def _serum(cls, value: str) -> str:
        quantity = parse_quantity(value, "serum_ifn")
        check_dimension(quantity, ("concentration", "mass concentration"), "serum_ifn")
        if not quantity.magnitude >= 0:
            raise ValueError(f"must be >= 0, got {value!r}")
        return value

    @field_validator("oral_drug")
    @classmethod
    def _drug(cls, value: dict[str, str]) -> dict[str, str]:
        if len(value) > 1:
            raise ValueError(f"one oral drug at a time, got {', '.join(value)}")
        return {k.strip(): v.strip() for k, v in value.items()}

    @field_validator("cell")
    @classmethod
    def _cell(cls, value: str) -> str:
        if value not in BLOOD_CELLS:
            raise ValueError(f"unknown blood cell {value!r}; known: {', '.join(BLOOD_CELLS)}")
        return value

    @field_validator("n_controls")
    @classmethod
    def _n(cls, value: int) -> int:
        if value < 2:
            raise ValueError(f"need at least 2 controls for mean + 2 SD, got {value}")
        return value

    @model_validator(mode="after")
    def _inputs(self) -> IfnScoreProtocol:
        from jakstat.errors import InvalidValueError

        unused = sorted(self.model_fields_set & {"n_cells", "medium_volume", "pretreatment_h"})
        if unused or self.conditions != Conditions():
            raise InvalidValueError(f"{(unused or ['conditions'])[0]}: not an input of the ifn-score assay (a patient's "
                                    "blood, not a culture well); give serum_ifn, oral_drug, regimen, weight, cell")
        if self.oral_drug:
            from jakstat.pharmacology.coupled import check_drug_input

            (name, dose), = self.oral_drug.items()
            try:
                check_drug_input(name, dose, self.regimen, self.weight)
            except (InvalidValueError, LookupError, ValueError) as exc:
                raise InvalidValueError(f"oral_drug: {exc}") from None
        return self

    def serum_pg_ml(self) -> float:
        """Serum IFN-alpha, pg/mL (a molar input converted with the IFN-alpha2a mass)."""
        from jakstat.experiments.interferon_score import serum_nm

        quantity = parse_quantity(self.serum_ifn, "serum_ifn")
        if check_dimension(quantity, ("concentration", "mass concentration"), "serum_ifn") == "mass concentration":
            return float(quantity.to("pg/mL").magnitude)
        return float(quantity.to("nM").magnitude / serum_nm(1.0))


def run_ifn_score(protocol: IfnScoreProtocol) -> AssayResult:
    """Run the interferon-score assay; see the module docstring for the readouts."""
    from jakstat.experiments.ifn_course import score_course

    days = max(protocol.times_h[-1], 24.0) / 24.0
    drug, dose = next(iter(protocol.oral_drug.items()), (None, None))
    course = score_course(protocol.serum_pg_ml(), days, drug=drug, dose=dose, regimen=protocol.regimen,
                          weight=protocol.weight, cell=protocol.cell, points_per_day=24,
                          n_controls=protocol.n_controls, seed=protocol.seed)
    frame = course.frame
    time_h = frame["time_h"].to_numpy()
    cutoff = published_cutoff()

    def at(column: str) -> np.ndarray:
        return np.interp(protocol.times_h, time_h, frame[column].to_numpy())

    conditions = Conditions(cytokines={"IFN-alpha (serum)": protocol.serum_ifn})
    score = at("interferon_score")
    parts = []
    if "interferon_score" in protocol.readouts:
        parts.append(tidy_table(ASSAY, "interferon_score", protocol.times_h, score, "fold (median of 6 ISGs)", conditions))
    if "positive" in protocol.readouts:
        parts.append(tidy_table(ASSAY, "positive", protocol.times_h, (score > cutoff).astype(float),
                                f"1 if score > {cutoff:g}", conditions))
    if "pSTAT1" in protocol.readouts:
        parts.append(tidy_table(ASSAY, "pSTAT1", protocol.times_h, 100.0 * at("pSTAT1_nmol") / frame["pSTAT1_nmol"].iloc[0],
                                "% of pre-treatment", conditions))
    if "gene_fold_change" in protocol.readouts:
        for gene in SCORE_GENES:
            parts.append(tidy_table(ASSAY, f"{gene} fold change", protocol.times_h, at(f"{gene}_fold"),
                                    "fold vs control median", conditions))
    table = concat_tidy(parts)
    table["drug"] = drug or "none"
    table["concentration"] = f"{dose} {protocol.regimen} oral, {protocol.weight}" if drug else "none"
    table = validate_tidy(table)
    label = f"{drug} {dose} {protocol.regimen}, {protocol.weight}" if drug else "untreated"

    def draw(fig) -> None:
        ax, ax2 = fig.subplots(1, 2)
        days_axis = time_h / 24.0
        ax.plot(days_axis, frame["interferon_score"], label="interferon score")
        ax.axhline(cutoff, color="crimson", ls="--", lw=0.9, label=f"positive > {cutoff:g} (Rice 2017)")
        ax.axhline(course.threshold, color="0.5", ls=":", lw=0.9, label=f"virtual controls' mean + 2 SD ({course.threshold:.2f})")
        ax.plot(np.array(protocol.times_h) / 24.0, score, "o", color="C0")
        ax.set(xlabel="days after the first dose", ylabel="interferon score (median fold of 6 ISGs)", ylim=(0, None),
               title=f"serum IFN-alpha {protocol.serum_ifn}: {label}")
        ax.legend(fontsize=8)
        for gene in SCORE_GENES:
            ax2.plot(days_axis, frame[f"{gene}_fold"], label=gene)
        ax2.set(xlabel="days after the first dose", ylabel="fold change vs control median", yscale="log",
                title=f"the six ISGs ({protocol.cell}, {protocol.n_controls} virtual controls)")
        ax2.legend(fontsize=8, ncol=2)

    return AssayResult(table, draw, {"course": frame, "group_threshold": course.threshold, "cutoff": cutoff,
                                     "controls": course.controls})


__all__ = ["IfnScoreProtocol", "published_cutoff", "run_ifn_score"]
