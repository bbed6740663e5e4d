"""Studies: calibration, virtual cohorts and trials on the batched engine (this layer imports pharmacology and engine,
never the reverse).

- :mod:`~jakstat.studies.stat4_calibration`: the STAT4 gain-of-function calibration (stored record);
- :mod:`~jakstat.studies.growth`: CDC 2000 LMS growth reference (weight, stature for age, 2-20 y);
- :mod:`~jakstat.studies.population`: seeded virtual patients (age, sex, weight, stature, bedside
  Schwartz eGFR, genotype and disease labels, PK variability draws);
- :mod:`~jakstat.studies.design`: trial designs as YAML, validated by pydantic;
- :mod:`~jakstat.studies.dosing`: per-patient PK parameter vectors and dose events for the engine;
- :mod:`~jakstat.studies.endpoints`: exposure and pathway-inhibition endpoints, hooks for later ones;
- :mod:`~jakstat.studies.serum_endpoints`: serum IL-6 and CRP endpoints (systemic model), registered on import;
- :mod:`~jakstat.studies.crp_calibration`: the serum CRP calibration (stored record);
- :mod:`~jakstat.studies.crp_kd_sensitivity`: that calibration refitted per tocilizumab Kd, the held-out rows measured;
- :mod:`~jakstat.studies.biologic_arms`: antibody arms (tocilizumab, anifrolumab, emapalumab), registered on import;
- :mod:`~jakstat.studies.ifn_score_endpoint`: the ``interferon_score`` endpoint (blood ISG network), registered on import;
- :mod:`~jakstat.studies.ifn_score_calibration`: the serum-IFN bioactivity calibration (stored record);
- :mod:`~jakstat.studies.runner`: chunked, resumable runs into a Parquet dataset, locally or on dask;
- :mod:`~jakstat.studies.dose_finding`: the mg/kg per weight band that reaches a target in 90% of children;
- :mod:`~jakstat.studies.sensitivity`: Sobol indices of an endpoint to the PK parameters (SALib).
"""

from jakstat.studies.design import ConfigError, TrialConfig, load_config, parse_config
from jakstat.studies.dose_finding import find_band_doses, published_bands
from jakstat.studies.population import PopulationSpec, sample_population
from jakstat.studies.runner import read_results, run_trial, simulate_chunk, summary
from jakstat.studies.sensitivity import sobol_indices
from jakstat.studies import biologic_arms as _biologic_arms
from jakstat.studies import ifn_score_endpoint as _ifn_score_endpoint
from jakstat.studies import serum_endpoints as _serum_endpoints

_biologic_arms.register()
_serum_endpoints.register()
_ifn_score_endpoint.register()

__all__ = [
    "ConfigError",
    "PopulationSpec",
    "TrialConfig",
    "find_band_doses",
    "load_config",
    "parse_config",
    "published_bands",
    "read_results",
    "run_trial",
    "sample_population",
    "simulate_chunk",
    "sobol_indices",
    "summary",
]
