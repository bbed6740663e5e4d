"""Virtual pediatric populations: age, sex, weight, stature, renal function, genotype and disease.

Patient ``i`` of a population is a pure function of ``(seed, i)``: its random numbers come from a
counter-based generator (Philox) advanced to the patient's own block of :data:`DRAWS` uniforms, so a
patient is the same whether it is drawn alone, in any chunk, on any worker, or after a resume.

Draws per patient (uniforms, mapped by the inverse normal CDF where a normal is needed):

- age: uniform between the spec's bounds (years);
- sex: female with probability ``female_fraction``;
- stature and weight z-scores: standard normals truncated at ``±z_limit``, correlated with
  :data:`HEIGHT_WEIGHT_Z_CORRELATION` (assumed), turned into cm and kg by the CDC 2000 LMS tables
  (:mod:`jakstat.studies.growth`);
- serum creatinine: the age's healthy median (:func:`creatinine_median`, assumed) x a log-normal
  factor with CV :data:`CREATININE_CV` (assumed); renal function by the bedside Schwartz equation
  $eGFR = 0.413 \\times height_{cm} / SCr_{mg/dL}$ (mL/min/1.73 m^2; Schwartz 2009);
- ``PK_DRAWS`` standard normals for between-subject variability of the PK parameters (used by
  :mod:`jakstat.studies.dosing`, one per varied parameter in name order).

Disease labels: ``DPM`` (disabling pansclerotic morphea) carries a heterozygous STAT4
gain-of-function genotype (default ``STAT4:A635V/wt``, ``variant_stat.csv``); ``JDM`` (juvenile
dermatomyositis) carries the label ``interferon_signature=True`` (score positive by the definition of
``target_jdm_ifn.csv`` JDM02; no score value is simulated); ``healthy`` neither. The labels are
carried to the results; signalling endpoints that use them belong to the signalling issue.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.special import ndtr, ndtri

from jakstat.errors import InvalidValueError, UnknownNameError
from jakstat.network.provenance import Assumed
from jakstat.studies import growth

DISEASES = ("DPM", "JDM", "healthy")
DEFAULT_GENOTYPE = {"DPM": "STAT4:A635V/wt", "JDM": "wt", "healthy": "wt"}
DRAWS = 16
"""Uniforms reserved per patient (a multiple of 4: one Philox counter gives four 64-bit words)."""
PK_DRAWS = 10
PK_OFFSET = 6
SCHWARTZ_K = 0.413
"""Bedside Schwartz constant, mL/min/1.73 m^2 per (cm / (mg/dL)) (Schwartz GJ et al. J Am Soc Nephrol 2009;20:629)."""

HEIGHT_WEIGHT_Z_CORRELATION = (0.7, Assumed(
    "the CDC tables are marginal; weight-for-age and stature-for-age z-scores of children correlate "
    "strongly (about 0.6-0.8 in survey data, not looked up): 0.7 keeps BMI plausible"))
CREATININE_CV = (0.15, Assumed(
    "between-child spread of serum creatinine at a given age: CV 15% assumed (reference intervals of "
    "healthy children span roughly +-30% around the median; not looked up)"))
CREATININE_MEDIAN_SOURCE = Assumed(
    "healthy-child median serum creatinine (enzymatic, IDMS) taken as Pottel's linear Q(age) = "
    "0.0270 x age + 0.2329 mg/dL for ages < 15 y (Pottel H et al. Pediatr Nephrol 2012, recalled, not "
    "seen), then linear to the adult Q at 18 y: 0.70 mg/dL (women; seen in Pottel 2017 NDT, "
    "https://pmc.ncbi.nlm.nih.gov/articles/PMC5570001) and 0.90 mg/dL (men; recalled, not seen)")


def creatinine_median(age_years: np.ndarray, female: np.ndarray) -> np.ndarray:
    """Median serum creatinine of healthy children, mg/dL (:data:`CREATININE_MEDIAN_SOURCE`)."""
    age = np.asarray(age_years, dtype=float)
    child = 0.0270 * np.minimum(age, 15.0) + 0.2329
    adult = np.where(np.asarray(female, dtype=bool), 0.70, 0.90)
    at15 = 0.0270 * 15.0 + 0.2329
    teen = at15 + (adult - at15) * np.clip((age - 15.0) / 3.0, 0.0, 1.0)
    return np.where(age < 15.0, child, teen)


@dataclass(frozen=True)
class PopulationSpec:
    """Who is in the cohort.

    Attributes
    ----------
    disease : {"DPM", "JDM", "healthy"}
    age_years : (float, float)
        Ages drawn uniformly in ``[low, high)``, years; within 2-20 (CDC 2000 tables).
    female_fraction : float
        Probability of female sex, 0-1.
    genotype : str, optional
        Genotype label (default: :data:`DEFAULT_GENOTYPE` of the disease); checked by
        :func:`jakstat.knowledge.parse_genotype`.
    z_limit : float
        Growth z-scores are truncated at ``±z_limit`` (default 2.5: the 0.6th-99.4th percentiles; at
        +3 the LMS weight tail of older teenagers exceeds 150 kg, the PK models' upper weight).
    """

    disease: str = "healthy"
    age_years: tuple[float, float] = (2.0, 18.0)
    female_fraction: float = 0.5
    genotype: str | None = None
    z_limit: float = 2.5

    def __post_init__(self) -> None:
        if self.disease not in DISEASES:
            raise UnknownNameError("disease", self.disease, DISEASES)
        low, high = self.age_years
        if not 2.0 <= low < high <= 20.0:
            raise InvalidValueError(f"age_years: must satisfy 2 <= low < high <= 20 (CDC 2000 covers 2-20 y); "
                                    f"got {self.age_years}")
        if not 0.0 <= self.female_fraction <= 1.0:
            raise InvalidValueError(f"female_fraction: must be within 0-1; got {self.female_fraction}")
        if not 0.5 <= self.z_limit <= 5.0:
            raise InvalidValueError(f"z_limit: must be within 0.5-5; got {self.z_limit}")
        if self.genotype is not None:
            from jakstat.knowledge import parse_genotype

            parse_genotype(self.genotype)

    @property
    def genotype_label(self) -> str:
        return self.genotype if self.genotype is not None else DEFAULT_GENOTYPE[self.disease]


def uniforms(seed: int, patient_ids: np.ndarray) -> np.ndarray:
    """The :data:`DRAWS` uniforms of each patient, shape (n, DRAWS); patient i's row depends only on (seed, i)."""
    ids = np.asarray(patient_ids, dtype=np.int64)
    out = np.empty((ids.size, DRAWS))
    if ids.size == 0:
        return out
    # contiguous runs share one generator advanced once
    breaks = np.nonzero(np.diff(ids) != 1)[0] + 1
    for run in np.split(np.arange(ids.size), breaks):
        bit = np.random.Philox(key=int(seed) & (2**64 - 1))
        bit.advance(int(ids[run[0]]) * (DRAWS // 4))
        out[run] = np.random.Generator(bit).random((run.size, DRAWS))
    return out


def _truncated_normal(u: np.ndarray, limit: float) -> np.ndarray:
    lo, hi = ndtr(-limit), ndtr(limit)
    return ndtri(lo + u * (hi - lo))


def sample_population(spec: PopulationSpec, patient_ids: np.ndarray, seed: int) -> pd.DataFrame:
    """Draw the patients ``patient_ids`` of a population.

    Parameters
    ----------
    spec : PopulationSpec
    patient_ids : array of int
        Non-negative ids; patient i is the same for every call with the same seed and spec.
    seed : int
        Population seed.

    Returns
    -------
    pandas.DataFrame
        ``patient_id``, ``age_y`` (years), ``sex``, ``height_cm``, ``weight_kg``, ``creatinine_mg_dl``,
        ``egfr`` (mL/min/1.73 m^2, bedside Schwartz), ``disease``, ``genotype``, ``interferon_signature``;
        ``attrs["pk_z"]``: standard normals, shape (n, PK_DRAWS), for PK variability.

    Examples
    --------
    >>> spec = PopulationSpec("JDM", (4.0, 12.0))
    >>> sample_population(spec, [7], seed=1).equals(sample_population(spec, [5, 6, 7], seed=1).iloc[[2]].reset_index(drop=True))
    True
    """
    ids = np.asarray(patient_ids, dtype=np.int64)
    if ids.ndim != 1 or (ids.size and ids.min() < 0):
        raise InvalidValueError("patient_ids: a 1-D array of non-negative integers")
    u = uniforms(seed, ids)
    low, high = spec.age_years
    age = low + (high - low) * u[:, 0]
    female = u[:, 1] < spec.female_fraction
    sex = np.where(female, "female", "male")
    rho = HEIGHT_WEIGHT_Z_CORRELATION[0]
    z_h = _truncated_normal(u[:, 2], spec.z_limit)
    z_e = _truncated_normal(u[:, 3], spec.z_limit)
    z_w = np.clip(rho * z_h + np.sqrt(1.0 - rho * rho) * z_e, -spec.z_limit, spec.z_limit)
    months = np.clip(age * 12.0, *growth.AGE_RANGE_MONTHS)
    height = growth.measurement("height", sex, months, z_h)
    weight = growth.measurement("weight", sex, months, z_w)
    omega_c = np.sqrt(np.log1p(CREATININE_CV[0] ** 2))
    scr = creatinine_median(age, female) * np.exp(omega_c * _truncated_normal(u[:, 4], 3.0))
    egfr = SCHWARTZ_K * height / scr
    frame = pd.DataFrame({
        "patient_id": ids, "age_y": age, "sex": sex, "height_cm": height, "weight_kg": weight,
        "creatinine_mg_dl": scr, "egfr": egfr, "disease": spec.disease, "genotype": spec.genotype_label,
        "interferon_signature": spec.disease == "JDM",
    })
    frame.attrs["pk_z"] = ndtri(np.clip(u[:, PK_OFFSET:PK_OFFSET + PK_DRAWS], 1e-300, 1.0 - 1e-16))
    return frame
