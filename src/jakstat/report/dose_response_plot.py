"""The figure of a dose-response table (:func:`jakstat.studies.dose_response.dose_response`).

Left: the readout against concentration on a log axis, the drug-free control as a dashed line (and, in
culture with a cytokine, the unstimulated background as a dotted one).
Right: inhibition with the fitted four-parameter logistic and its IC50.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd


def save_dose_response_figure(table: pd.DataFrame, path: str | Path, dpi: int = 120) -> Path:
    """Draw ``table`` (with ``attrs["fit"]``) and write it as PNG to ``path``; return the path."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from jakstat.studies.logistic import four_parameter_logistic

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    drugged = table[table["concentration_nM"] > 0]
    control = table[table["concentration_nM"] == 0]
    c = drugged["concentration_nM"].to_numpy(float)
    first = table.iloc[0]
    fit = table.attrs.get("fit", {})
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4), constrained_layout=True)
    try:
        left.semilogx(c, drugged["value"], "o-", color="C0")
        if len(control):
            left.axhline(float(control["value"].iloc[0]), ls="--", color="grey", label="no drug")
        if first["assay"] == "culture" and first["cytokine"] != "none" and "background" in table.attrs:
            left.axhline(float(table.attrs["background"]), ls=":", color="grey", label="no cytokine, no drug")
        if len(control):
            left.legend(frameon=False)
        left.set_xlabel(f"{first['drug']} concentration, nM ({first['concentration_basis']})")
        left.set_ylabel(f"{first['readout']} inhibition, %" if first["unit"] == "%" else
                        f"{first['readout']}, {first['unit']}")
        left.set_title(f"{first['cell']} {first['genotype']}, {first['cytokine']}, {first['time_min']:g} min")
        right.semilogx(c, drugged["inhibition"], "o", color="C1", label="simulated")
        ic50 = fit.get("ic50_nm", float("nan"))
        if np.isfinite(ic50):
            grid = np.geomspace(c.min(), c.max(), 200)
            right.semilogx(grid, four_parameter_logistic(grid, fit["bottom"], fit["top"], ic50, fit["hill"]),
                           "-", color="C1", alpha=0.7, label=f"4PL fit: IC50 {ic50:.3g} nM, Hill {fit['hill']:.2f}")
            right.axvline(ic50, ls=":", color="C1")
        right.set_xlabel(f"{first['drug']} concentration, nM")
        right.set_ylabel("inhibition (fraction)")
        right.legend(frameon=False, loc="upper left")
        fig.savefig(path, dpi=dpi)
    finally:
        plt.close(fig)
    return path


__all__ = ["save_dose_response_figure"]
