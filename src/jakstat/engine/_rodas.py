"""Rosenbrock tableaus (the method is data; the algorithm is :mod:`jakstat.engine._batch_kernel`).

One step of an ``s``-stage Rosenbrock method for $y' = f(t, y)$ with $W = I/(h\\gamma) - J$:

$$u_i = y_n + \\sum_{j<i} A_{ij} k_j,\\qquad
W k_i = f(t_n + c_i h, u_i) + \\sum_{j<i} \\frac{C_{ij}}{h} k_j + h\\, d_i\\, \\partial_t f(t_n, y_n),$$

$y_{n+1} = y_n + \\sum_j b_j k_j$, error estimate $\\sum_j e_j k_j$, and the continuous extension
$y(t_n + \\theta h) = (1-\\theta) y_n + \\theta\\,(y_{n+1} + (1-\\theta)(K_1 + \\theta(K_2 + \\theta K_3)))$ with
$K_r = \\sum_j H_{rj} k_j$ (Hairer-Wanner's transformed variables; the form OrdinaryDiffEq.jl uses).

References
----------
- Rodas5P: G. Steinebach, "Construction of Rosenbrock-Wanner method Rodas5P and numerical
  benchmarks within the Julia Differential Equations package", BIT Numer. Math. 63, 27 (2023);
  coefficients as published with OrdinaryDiffEq.jl (``Rodas5PTableau``).
- Rodas4: E. Hairer, G. Wanner, Solving ODEs II, 2nd ed., Springer 1996, Sec. VI.4 (``rodas.f``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class RosenbrockTableau:
    """Coefficients of a stiffly accurate Rosenbrock method with an embedded error estimate.

    ``order`` is the order of the solution; the step-size controller uses $err^{1/order}$
    (the embedded estimate is of order ``order - 1``, so its local error is $O(h^{order})$).
    """

    name: str
    order: int
    gamma: float
    A: np.ndarray
    C: np.ndarray
    c: np.ndarray
    d: np.ndarray
    b: np.ndarray
    e: np.ndarray
    H: np.ndarray

    @property
    def stages(self) -> int:
        return self.c.size


def _stiffly_accurate(name, order, gamma, a_rows, C_rows, c, d, H) -> RosenbrockTableau:
    """Complete a Rodas tableau: after the explicit rows of ``A``, each further stage adds the
    previous increment ($u_{i} = u_{i-1} + k_{i-1}$), and $y_{n+1} = u_s + k_s$ with error $k_s$."""
    s = len(C_rows) + 1
    A = np.zeros((s, s))
    for i, row in enumerate(a_rows, start=1):
        A[i, :len(row)] = row
    for i in range(len(a_rows) + 1, s):
        A[i] = A[i - 1]
        A[i, i - 1] = 1.0
    C = np.zeros((s, s))
    for i, row in enumerate(C_rows, start=1):
        C[i, :len(row)] = row
    b = A[s - 1].copy()
    b[s - 1] = 1.0
    e = np.zeros(s)
    e[s - 1] = 1.0
    c_full = np.zeros(s)
    c_full[1:len(c) + 1] = c
    c_full[len(c) + 1:] = 1.0
    d_full = np.zeros(s)
    d_full[:len(d)] = d
    return RosenbrockTableau(name, order, gamma, A, C, c_full, d_full, b, e, np.array(H, dtype=float))


RODAS5P = _stiffly_accurate(
    "Rodas5P", 5, 0.21193756319429014,
    a_rows=[[3.0],
            [2.849394379747939, 0.45842242204463923],
            [-6.954028509809101, 2.489845061869568, -10.358996098473584],
            [2.8029986275628964, 0.5072464736228206, -0.3988312541770524, -0.04721187230404641],
            [-7.502846399306121, 2.561846144803919, -11.627539656261098, -0.18268767659942256,
             0.030198172008377946]],
    C_rows=[[-14.155112264123755],
            [-17.97296035885952, -2.859693295451294],
            [147.12150275711716, -1.41221402718213, 71.68940251302358],
            [165.43517024871676, -0.4592823456491126, 42.90938336958603, -5.961986721573306],
            [24.854864614690072, -3.0009227002832186, 47.4931110020768, 5.5814197821558125, -0.6610691825249471],
            [30.91273214028599, -3.1208243349937974, 77.79954646070892, 34.28646028294783, -19.097331116725623,
             -28.087943162872662],
            [37.80277123390563, -3.2571969029072276, 112.26918849496327, 66.9347231244047, -40.06618937091002,
             -54.66780262877968, -9.48861652309627]],
    c=[0.6358126895828704, 0.4095798393397535, 0.9769306725060716, 0.4288403609558664],
    d=[0.21193756319429014, -0.42387512638858027, -0.3384627126235924, 1.8046452872882734, 2.325825639765069],
    H=[[25.948786856663858, -2.5579724845846235, 10.433815404888879, -2.3679251022685204, 0.524948541321073,
        1.1241088310450404, 0.4272876194431874, -0.17202221070155493],
       [-9.91568850695171, -0.9689944594115154, 3.0438037242978453, -24.495224566215796, 20.176138334709044,
        15.98066361424651, -6.789040303419874, -6.710236069923372],
       [11.419903575922262, 2.8879645146136994, 72.92137995996029, 80.12511834622643, -52.072871366152654,
        -59.78993625266729, -0.15582684282751913, 4.883087185713722]],
)

RODAS4 = _stiffly_accurate(
    "Rodas4", 4, 0.25,
    a_rows=[[1.544],
            [0.9466785280815826, 0.2557011698983284],
            [3.314825187068521, 2.896124015972201, 0.9986419139977817],
            [1.221224509226641, 6.019134481288629, 12.53708332932087, -0.6878860361058950]],
    C_rows=[[-5.6688],
            [-2.430093356833875, -0.2063599157091915],
            [-0.1073529058151375, -9.594562251023355, -20.47028614809616],
            [7.496443313967647, -10.24680431464352, -33.99990352819905, 11.70890893206160],
            [8.083246795921522, -7.981132988064893, -31.52159432874371, 16.31930543123136, -6.058818238834054]],
    c=[0.386, 0.21, 0.63],
    d=[0.25, -0.1043, 0.1035, -0.0362],
    H=[[10.12623508344586, -7.487995877610167, -34.80091861555747, -7.992771707568823, 1.025137723295662, 0.0],
       [-0.6762803392801253, 6.087714651680015, 16.43084320892478, 24.76722511418386, -6.594389125716872, 0.0]],
)

TABLEAUS = {t.name: t for t in (RODAS5P, RODAS4)}


def _terms(coefs, names, scale: str = "") -> str:
    """`` + c_j * name_j`` for the non-zero ``c_j`` (exact literals; ``scale`` multiplies each coefficient)."""
    out = ""
    for c, name in zip(coefs, names):
        c = float(c)
        if c == 0.0:
            continue
        if c == 1.0 and not scale:
            out += f" + {name}"
        elif c == -1.0 and not scale:
            out += f" - {name}"
        else:
            out += f" + ({c!r}{scale}) * {name}"
    return out


def step_source(tab: RosenbrockTableau, n: int, autonomous: bool) -> str:
    """Straight-line source of one step of ``tab`` for ``n`` species, and of its continuous extension.

    ``rodas_step(t, h, y, p, f0, ft, lu, Ks, u, r, ynew, est)`` fills the stage increments (``Ks``:
    a tuple of ``stages`` arrays of length ``n``, from ``new_stages()``), the solution ``ynew`` and
    the error estimate ``est``; it calls the globals ``rhs(t, y, p, out)`` and ``lu_solve(lu, b, x)``
    (``lu`` already factored for this ``h``). ``rodas_dense(Ks, D)`` fills the continuous extension's
    coefficients, ``D[r*n:(r+1)*n]`` for row ``r`` of ``H``. Coefficients are printed as exact
    literals; the loops run over species only. Measured alternatives for the stages: row views of
    a 2-D array (``K[s]``) were 10-30% slower per step, and one flat array with constant offsets as
    fast but three times slower to compile.
    """
    S = tab.stages
    names = ", ".join(f"k{j}" for j in range(S))
    k = [f"k{j}[i]" for j in range(S)]
    lines = ["def rodas_step(t, h, y, p, f0, ft, lu, Ks, u, r, ynew, est):", f"    {names}, = Ks", "    ih = 1.0 / h"]
    for s in range(S):
        source = "f0"
        if s > 0:
            lines += [f"    for i in range({n}):", f"        u[i] = y[i]{_terms(tab.A[s, :s], k)}",
                      f"    rhs(t + {float(tab.c[s])!r} * h, u, p, r)"]
            source = "r"
        extra = _terms(tab.C[s, :s], k, " * ih")
        if not autonomous:
            extra += _terms([tab.d[s]], ["ft[i]"], " * h")
        if extra:
            lines += [f"    for i in range({n}):", f"        r[i] = {source}[i]{extra}"]
            source = "r"
        lines.append(f"    lu_solve(lu, {source}, k{s})")
    lines += [f"    for i in range({n}):", f"        ynew[i] = y[i]{_terms(tab.b, k)}",
              f"        est[i] = 0.0{_terms(tab.e, k)}"]
    dense = ["def rodas_dense(Ks, D):", f"    {names}, = Ks"]
    for row in range(tab.H.shape[0]):
        dense += [f"    for i in range({n}):", f"        D[{row * n} + i] = 0.0{_terms(tab.H[row], k)}"]
    new = ["def new_stages():", "    return (" + ", ".join(f"np.empty({n})" for _ in range(S)) + ",)"]
    return "\n".join(lines) + "\n\n" + "\n".join(dense) + "\n\n" + "\n".join(new) + "\n"
