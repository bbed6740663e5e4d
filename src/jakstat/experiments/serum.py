"""Serum IL-6 and CRP: what a clinical lab would report for a patient, untreated or on a drug.

The patient is the systemic model of :mod:`jakstat.experiments.serum_model` (plasma IL-6 -> liver
IL-6R/STAT3 -> CRP into plasma, adult), started at the untreated steady state of its serum IL-6
(``conditions.cytokines = {"IL-6": "65 pg/mL"}``; default the healthy 5.186 pg/mL of ``cell_types.csv``).
At t = 0 one drug starts: a JAK inhibitor by mouth (``drugs = {"baricitinib": "4 mg"}``, dose per
administration, ``regimen`` QD/BID/...) or an anti-IL-6R antibody IV (``antibodies = {"tocilizumab":
"8 mg/kg"}``, ``antibody_regimen`` Q4W/...). Readouts at ``times_h`` (default 0 h to 4 weeks):
``IL-6`` (free serum IL-6, pg/mL) and ``CRP`` (mg/L).

Examples
--------
>>> from jakstat.experiments import run_assay
>>> result = run_assay("serum", conditions={"cytokines": {"IL-6": "65 pg/mL"},
...                    "antibodies": {"tocilizumab": "8 mg/kg"}})  # doctest: +SKIP
>>> result.table.query("readout == 'CRP'")[["time_h", "value", "unit"]]  # doctest: +SKIP
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from jakstat.experiments.protocol import Protocol
from jakstat.experiments.tidy import NONE, AssayResult, validate_tidy
from jakstat.experiments.serum_model import HEALTHY_IL6_PG_ML, il6_pg_ml_per_nm

READOUT_UNITS = {"IL-6": "pg/mL", "CRP": "mg/L"}
CRP_NORMAL_MG_L = 3.0
"""Healthy CRP is below 3 mg/L (cell_types.csv; the 90th percentile of blood donors, serum_crp_targets.csv)."""


def _norm(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


class SerumConditions(BaseModel):
    """The patient and the treatment.

    Attributes
    ----------
    genotype : str
        Only ``"wt"``: the systemic model has no variants.
    drugs : mapping of str to str
        Small-molecule JAK inhibitor -> dose per administration (``{"baricitinib": "4 mg"}``).
    antibodies : mapping of str to str
        Anti-IL-6R antibody -> IV dose per administration (``{"tocilizumab": "8 mg/kg"}``).
    cytokines : mapping of str to str
        ``{"IL-6": CONC}``: the untreated free serum IL-6 (pg/mL, or any concentration unit).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    genotype: str = "wt"
    drugs: dict[str, str] = Field(default_factory=dict)
    antibodies: dict[str, str] = Field(default_factory=dict)
    cytokines: dict[str, str] = Field(default_factory=dict)

    @field_validator("genotype")
    @classmethod
    def _wild_type(cls, value: str) -> str:
        if value.strip().lower() not in {"wt", "wildtype", "wild-type"}:
            raise ValueError(f"the serum model has no variants; give 'wt', got {value!r}")
        return "wt"

    @field_validator("drugs", "antibodies")
    @classmethod
    def _doses(cls, value: dict[str, str], info) -> dict[str, str]:
        from jakstat.knowledge import get_drug
        from jakstat.pharmacology.regimens import parse_dose

        out = {}
        for name, dose in value.items():
            record = get_drug(str(name).strip())  # UnknownNameError lists the known drugs
            parse_dose(str(dose).strip(), f"conditions.{info.field_name}.{name}")
            wanted = "biologic" if info.field_name == "antibodies" else "small molecule"
            if (record.kind == "biologic") != (wanted == "biologic"):
                where = "--antibody (antibodies)" if record.kind == "biologic" else "--drug (drugs)"
                raise ValueError(f"{record.name} is a {'biologic' if record.kind == 'biologic' else 'small molecule'}; "
                                 f"give it as {where}")
            out[record.name] = str(dose).strip()
        return out

    @field_validator("cytokines")
    @classmethod
    def _il6(cls, value: dict[str, str]) -> dict[str, str]:
        from jakstat.network.builders import concentration_nm

        out = {}
        for name, amount in value.items():
            if _norm(name) not in {"il6", "interleukin6"}:
                from jakstat.errors import UnknownNameError

                raise UnknownNameError("serum cytokine (the untreated serum level the patient starts from)", name, ["IL-6"])
            nm = concentration_nm("conditions.cytokines.IL-6", str(amount).strip(), "IL-6")
            if not nm > 0:
                raise ValueError(f"IL-6: the untreated serum IL-6 must be > 0, got {amount!r}")
            out["IL-6"] = str(amount).strip()
        return out

    @model_validator(mode="after")
    def _one_agent(self) -> SerumConditions:
        agents = [*self.drugs, *self.antibodies]
        if len(agents) > 1:
            raise ValueError(f"give at most one drug or antibody per run (got {', '.join(agents)}); combinations "
                             "are not modelled")
        return self

    def il6_pg_ml(self) -> float:
        """Untreated free serum IL-6, pg/mL."""
        if "IL-6" not in self.cytokines:
            return HEALTHY_IL6_PG_ML
        from jakstat.network.builders import concentration_nm

        return concentration_nm("IL-6", self.cytokines["IL-6"], "IL-6") * il6_pg_ml_per_nm()

    def label(self) -> str:
        parts = [f"serum IL-6 {self.il6_pg_ml():.3g} pg/mL"]
        parts += [f"{k} {v}" for k, v in {**self.drugs, **self.antibodies}.items()]
        return " + ".join(parts)


class SerumProtocol(Protocol):
    """Serum IL-6 and CRP over time from the start of treatment (times default 0 h to 4 weeks).

    ``n_cells``, ``medium_volume`` and ``pretreatment_h`` belong to the cell-culture assays and are refused.
    ``regimen``: the JAK inhibitor's (QD, BID, TID, XR; default QD); ``antibody_regimen``: the
    antibody's (QW, Q2W, Q4W, BIW; default Q4W, IV); ``weight``: body weight (default 70 kg).
    """

    ASSAY: ClassVar[str] = "serum"
    KNOWN_READOUTS: ClassVar[tuple[str, ...]] = ("IL-6", "CRP")
    DEFAULT_TIMES_H: ClassVar[tuple[float, ...]] = (0.0, 24.0, 72.0, 168.0, 336.0, 672.0)

    conditions: SerumConditions = Field(default_factory=SerumConditions)
    regimen: str = "QD"
    antibody_regimen: str = "Q4W"
    weight: str = "70 kg"

    @field_validator("regimen")
    @classmethod
    def _regimen(cls, value: str) -> str:
        from jakstat.errors import UnknownNameError
        from jakstat.pharmacology.regimens import INTERVALS_H

        if value.strip().upper() not in INTERVALS_H:
            raise UnknownNameError("regimen", value, INTERVALS_H)
        return value.strip().upper()

    @field_validator("antibody_regimen")
    @classmethod
    def _antibody_regimen(cls, value: str) -> str:
        from jakstat.errors import UnknownNameError
        from jakstat.pharmacology.biologics import BIOLOGIC_INTERVALS_H

        if value.strip().upper() not in BIOLOGIC_INTERVALS_H:
            raise UnknownNameError("antibody regimen", value, BIOLOGIC_INTERVALS_H)
        return value.strip().upper()

    @field_validator("weight")
    @classmethod
    def _weight(cls, value: str) -> str:
        from jakstat.pharmacology.regimens import parse_weight

        parse_weight(value)
        return value

    @model_validator(mode="after")
    def _no_culture(self) -> SerumProtocol:
        culture = sorted({"n_cells", "medium_volume", "pretreatment_h"} & self.model_fields_set)
        if culture:
            raise ValueError(f"{', '.join(culture)}: not an option of the serum assay (a patient, not a culture)")
        return self


def _condition_columns(c: SerumConditions, protocol: SerumProtocol) -> dict[str, str]:
    drug = next(iter(c.drugs), None)
    antibody = next(iter(c.antibodies.items()), None)
    return {"genotype": c.genotype, "drug": drug or NONE,
            "concentration": f"{c.drugs[drug]} {protocol.regimen}" if drug else NONE,
            "antibody": f"{antibody[0]}={antibody[1]} {protocol.antibody_regimen} IV" if antibody else NONE,
            "cytokine": f"IL-6={c.il6_pg_ml():.4g} pg/mL (untreated serum)"}


def run_serum_assay(protocol: SerumProtocol) -> AssayResult:
    """Run the serum IL-6 / CRP protocol.

    Returns
    -------
    AssayResult
        Rows ``readout`` IL-6 (pg/mL) and CRP (mg/L) at ``protocol.times_h``; ``data`` holds the hourly
        time course (``time_h``, ``il6_pg_ml``, ``crp_mg_l``, and ``drug_plasma_nM`` when a drug is given).
    """
    from jakstat.experiments import serum_model as sm

    c = protocol.conditions
    t_end = max(protocol.times_h[-1], 1.0)
    days = t_end / 24.0
    net = sm.baseline_network(c.il6_pg_ml())
    if c.drugs:
        (drug, dose), = c.drugs.items()
        net = sm.with_jak_inhibitor(net, drug, dose, protocol.regimen, protocol.weight, days)
    if c.antibodies:
        (drug, dose), = c.antibodies.items()
        net = sm.with_antibody(net, drug, dose, protocol.antibody_regimen, protocol.weight, days)
    grid = np.union1d(np.linspace(0.0, t_end, int(np.ceil(t_end)) + 1), protocol.times_h)
    ds = sm.run_serum(net, grid)
    series = {"IL-6": ds["il6_pg_ml"].values, "CRP": ds["crp_mg_l"].values}
    at = np.searchsorted(grid, protocol.times_h)
    columns = _condition_columns(c, protocol)
    frames = [pd.DataFrame({"assay": "serum", "readout": r, "time_h": np.asarray(protocol.times_h, dtype=float),
                            "value": np.maximum(series[r][at], 0.0), "unit": READOUT_UNITS[r], **columns})
              for r in protocol.readouts]
    table = validate_tidy(pd.concat(frames, ignore_index=True))
    data = {"time_h": grid, "il6_pg_ml": series["IL-6"], "crp_mg_l": series["CRP"]}
    if "C_central" in ds:
        data["drug_plasma_nM"] = ds["C_central"].values
    label = c.label()

    def draw(fig) -> None:
        axes = fig.subplots(1, 2)
        days_axis = grid / 24.0
        for ax, name in zip(axes, ("IL-6", "CRP")):
            ax.plot(days_axis, np.maximum(series[name], 0.0), "-", color="C0" if name == "IL-6" else "C3")
            if name in protocol.readouts:
                ax.plot(np.asarray(protocol.times_h) / 24.0, np.maximum(series[name][at], 0.0), "o", color="k")
            ax.set(xlabel="days from the first dose", ylabel=f"serum {name} ({READOUT_UNITS[name]})")
        axes[1].axhline(CRP_NORMAL_MG_L, ls="--", color="0.5", lw=1)
        axes[1].text(0, CRP_NORMAL_MG_L, " healthy < 3 mg/L", va="bottom", color="0.4", fontsize=8)
        fig.suptitle(f"serum IL-6 and CRP: {label} ({protocol.weight})")

    return AssayResult(table, draw, data)


__all__ = ["CRP_NORMAL_MG_L", "READOUT_UNITS", "SerumConditions", "SerumProtocol", "run_serum_assay"]
