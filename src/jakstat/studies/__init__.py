"""Studies: calibration, cohorts, trials, dose-response and sensitivity (built on the engine and pharmacology)."""
