"""The assay parameters' card: every parameter of the assay models with value, unit and provenance.

``docs/assays.md`` carries this table (a test checks that it is current).
"""

from __future__ import annotations

from collections import Counter

from jakstat.network.model import Parameter


def assay_parameters() -> dict[str, tuple[Parameter, ...]]:
    """Assay name -> the parameters of its model (the links' and the baselines')."""
    from jakstat.experiments import gel, scratch, size

    return {"scratch": scratch.link_parameters(), "gel": gel.link_parameters(), "size": size.link_parameters()}


def parameter_card() -> str:
    """Markdown table of every assay parameter, and a count of their provenance kinds."""
    lines = ["| assay | parameter | value | unit | meaning | provenance |", "|---|---|---|---|---|---|"]
    kinds: Counter = Counter()
    for assay, params in assay_parameters().items():
        for p in params:
            kinds[p.provenance.kind] += 1
            text = p.provenance.describe().replace("|", "/")
            lines.append(f"| {assay} | `{p.id}` | {p.value:.6g} | {p.unit} | {p.description} | {text} |")
    phenomenological = sum(p.provenance.reason.startswith("PHENOMENOLOGICAL")
                           for params in assay_parameters().values() for p in params if p.provenance.kind == "assumed")
    total = sum(kinds.values())
    lines += ["", f"{total} parameters: " + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))
              + f" ({phenomenological} of them marked PHENOMENOLOGICAL)."]
    return "\n".join(lines) + "\n"


__all__ = ["assay_parameters", "parameter_card"]
